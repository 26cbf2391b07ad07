package io.structflow.examples.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an experiment reports, built from its result: the text printed (tables and notes), the
 * values of {@code results.json} (snake_case keys, in order) and the figures. {@link ReportWriter}
 * writes it.
 */
public final class Report {
    private final StringBuilder text = new StringBuilder();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();

    /** Appends a line to the printed text. */
    public Report line(String line) {
        text.append(line).append('\n');
        return this;
    }

    /** Appends a table to the printed text. */
    public Report table(Table table) {
        text.append(table);
        return this;
    }

    /** Sets {@code key} of results.json. */
    public Report put(String key, Object value) {
        results.put(key, value);
        return this;
    }

    /** Adds a figure. */
    public Report figure(Figure figure) {
        figures.add(figure);
        return this;
    }

    /** The printed text. */
    public String text() {
        return text.toString();
    }

    /** The values of results.json, in order. */
    public Map<String, Object> results() {
        return Collections.unmodifiableMap(results);
    }

    /** The figures, in order. */
    public List<Figure> figures() {
        return List.copyOf(figures);
    }
}
