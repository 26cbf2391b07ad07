package io.structflow.examples.vectorfield;

import io.structflow.examples.support.Plots;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The figures of the {@code vector-field} command ([CMOSS] Fig. 8): the true and the learned field
 * as overlaid arrows on a plane — the (q, p) plane for the pendulum, and for X₁ the two planes
 * {@code x₃ = x₄ = 0} (components 1, 2) and {@code x₁ = x₂ = 0} (components 3, 4).
 */
public final class VectorFieldPlots {
    private static final int ARROWS_PER_AXIS = 15;

    private VectorFieldPlots() {
    }

    /**
     * Writes an arrow plot of the plane spanned by coordinates {@code (i, j)} (others 0), showing
     * components {@code i, j} of both fields.
     *
     * @return the file written, {@code dir/name.png}
     */
    public static Path plane(VectorFieldExperiment.Outcome o, int i, int j, DataType type, Path dir, String name)
            throws IOException {
        TargetField field = o.field();
        double[] axis = field.axis(ARROWS_PER_AXIS);
        int k = ARROWS_PER_AXIS * ARROWS_PER_AXIS;
        double[][] points = new double[k][field.dimension()];
        double[][] base = new double[k][2];
        for (int a = 0; a < ARROWS_PER_AXIS; a++) {
            for (int b = 0; b < ARROWS_PER_AXIS; b++) {
                int r = a * ARROWS_PER_AXIS + b;
                points[r][i] = axis[a];
                points[r][j] = axis[b];
                base[r] = new double[] {axis[a], axis[b]};
            }
        }
        double[][] truth = project(field.values(points), i, j);
        double[][] learned = project(VectorFieldExperiment.evaluate(o.network(), points, type), i, j);
        double spacing = axis[1] - axis[0];
        double scale = Quiver.scaleFor(0.9 * spacing, truth, learned);
        String plane = field.dimension() == 2 ? "(q, p) plane"
                : String.format(Locale.ROOT, "(x%d, x%d) plane, others 0", i + 1, j + 1);
        XYChart chart = Plots.lineChart(String.format(Locale.ROOT, "%s, %s; grid max error %.3g, rel. L2 %.3g",
                field == TargetField.X1 ? "X1" : "pendulum", plane, o.maxError(), o.relativeL2()), field.dimension() == 2 ? "q" : "x" + (i + 1),
                field.dimension() == 2 ? "p" : "x" + (j + 1));
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        Quiver.add(chart, "true field", new Color(30, 30, 30), base, truth, scale);
        Quiver.add(chart, "learned X_S + X_G", new Color(220, 40, 40), base, learned, scale);
        return Plots.save(chart, dir, name);
    }

    private static double[][] project(double[][] v, int i, int j) {
        double[][] out = new double[v.length][];
        for (int r = 0; r < v.length; r++) {
            out[r] = new double[] {v[r][i], v[r][j]};
        }
        return out;
    }
}
