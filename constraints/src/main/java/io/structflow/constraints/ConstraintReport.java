package io.structflow.constraints;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of every constraint of a model: for each constrained parameter (by dotted name, in
 * {@link Module#namedParameters()} order) and each of its constraints (in attach order), the
 * constraint's {@link Constraint#describe()} and its current {@link Constraint#violation}
 * (0 inside the set). {@link #toString()} renders an aligned table for logs; the Trainer prints
 * it on request.
 */
public final class ConstraintReport {
    /**
     * One constraint of one parameter.
     *
     * @param parameter  dotted name ({@code blocks.3.field.A})
     * @param shape      the parameter's shape
     * @param constraint the constraint's description
     * @param violation  its violation at the time of the report
     */
    public record Row(String parameter, long[] shape, String constraint, double violation) {
    }

    private final List<Row> rows;

    private ConstraintReport(List<Row> rows) {
        this.rows = Collections.unmodifiableList(rows);
    }

    /** Evaluates every constraint of {@code model}'s parameters now (estimators may warm up). */
    public static ConstraintReport of(Module model) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            for (Constraint c : p.constraints()) {
                rows.add(new Row(e.getKey(), p.shape(), c.describe(), c.violation(p)));
            }
        }
        return new ConstraintReport(rows);
    }

    /** The rows, parameters in model order, constraints in attach order. */
    public List<Row> rows() {
        return rows;
    }

    /** The largest violation (0 when every constraint holds or there are none). */
    public double maxViolation() {
        double m = 0;
        for (Row r : rows) {
            m = Math.max(m, r.violation());
        }
        return m;
    }

    @Override
    public String toString() {
        String[] head = {"parameter", "shape", "constraint", "violation"};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {r.parameter(), Shapes.str(r.shape()), r.constraint(),
                String.format(java.util.Locale.ROOT, "%.3e", r.violation())});
        }
        int[] width = new int[head.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < cells.size(); k++) {
            String[] row = cells.get(k);
            for (int i = 0; i < row.length; i++) {
                sb.append(i == 0 ? "" : "  ").append(pad(row[i], width[i], i == row.length - 1));
            }
            sb.append('\n');
            if (k == 0) {
                for (int i = 0; i < row.length; i++) {
                    sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
                }
                sb.append('\n');
            }
        }
        if (rows.isEmpty()) {
            sb.append("(no constrained parameters)\n");
        }
        return sb.toString();
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(w - s.length());
        return right ? fill + s : s + fill;
    }
}
