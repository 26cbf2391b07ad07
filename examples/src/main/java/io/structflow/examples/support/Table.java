package io.structflow.examples.support;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns, printed by each experiment. */
public final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column titles. */
    public Table(String... header) {
        this.header = header;
    }

    /** Appends a row; values are formatted with {@code String.valueOf}. */
    public Table row(Object... values) {
        if (values.length != header.length) {
            throw new IllegalArgumentException("Table.row: expected " + header.length + " values but got " + values.length);
        }
        String[] r = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            r[i] = String.valueOf(values[i]);
        }
        rows.add(r);
        return this;
    }

    @Override
    public String toString() {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        append(b, header, width);
        for (int i = 0; i < header.length; i++) {
            b.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        b.append('\n');
        for (String[] r : rows) {
            append(b, r, width);
        }
        return b.toString();
    }

    private static void append(StringBuilder b, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            b.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", cells[i]));
        }
        b.append('\n');
    }
}
