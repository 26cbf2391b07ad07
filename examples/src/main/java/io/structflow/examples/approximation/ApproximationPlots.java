package io.structflow.examples.approximation;

import io.structflow.examples.support.Plots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;

/**
 * The figures of the {@code approximate} command ([CMOSS] Fig. 7): f and the network on the test
 * grid; for g the two slices {@code y = 0} and {@code y = x} against the truth, and a heat map of
 * {@code |N − g|} over the square.
 */
public final class ApproximationPlots {
    private ApproximationPlots() {
    }

    /** {@code approximate-f.png}: f and the network over the interval. */
    public static Path curve(ApproximationExperiment.Outcome o, Path dir) throws IOException {
        double[] x = new double[o.grid().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = o.grid()[i][0];
        }
        XYChart chart = Plots.lineChart(String.format(Locale.ROOT, "%s  (max error %.3g)", o.target().formula(),
                o.maxError()), "x", "value");
        Plots.addLine(chart, "truth", x, o.truth());
        Plots.addLine(chart, "network", x, o.prediction());
        return Plots.save(chart, dir, "approximate-" + o.target().key());
    }

    /** {@code approximate-g-slices.png}: g and the network along {@code y = 0} and {@code y = x}. */
    public static Path slices(ApproximationExperiment.Outcome o, Path dir) throws IOException {
        int n = o.target().gridPoints();
        double[] axis = o.target().axis(n);
        double[] truthRow = new double[n];
        double[] netRow = new double[n];
        double[] truthDiagonal = new double[n];
        double[] netDiagonal = new double[n];
        int middle = n / 2;
        for (int i = 0; i < n; i++) {
            truthRow[i] = o.truth()[i * n + middle];
            netRow[i] = o.prediction()[i * n + middle];
            truthDiagonal[i] = o.truth()[i * n + i];
            netDiagonal[i] = o.prediction()[i * n + i];
        }
        XYChart chart = Plots.lineChart(String.format(Locale.ROOT, "%s, slices  (max error on the square %.3g)",
                o.target().formula(), o.maxError()), "x", "value");
        Plots.addLine(chart, "truth, y = 0", axis, truthRow);
        Plots.addLine(chart, "network, y = 0", axis, netRow);
        Plots.addLine(chart, "truth, y = x", axis, truthDiagonal);
        Plots.addLine(chart, "network, y = x", axis, netDiagonal);
        return Plots.save(chart, dir, "approximate-" + o.target().key() + "-slices");
    }

    /** {@code approximate-g-error.png}: {@code |N(x, y) − g(x, y)|} on every third grid point. */
    public static Path errorMap(ApproximationExperiment.Outcome o, Path dir) throws IOException {
        int n = o.target().gridPoints();
        double[] axis = o.target().axis(n);
        List<String> xs = new ArrayList<>();
        List<String> ys = new ArrayList<>();
        List<Number[]> cells = new ArrayList<>();
        int stride = 3;
        for (int i = 0, xi = 0; i < n; i += stride, xi++) { // stride 3 of 61 points: labels −1.0, −0.9, …, 1.0
            xs.add(String.format(Locale.ROOT, "%.1f", axis[i]));
            for (int j = 0, yj = 0; j < n; j += stride, yj++) {
                if (i == 0) {
                    ys.add(String.format(Locale.ROOT, "%.1f", axis[j]));
                }
                cells.add(new Number[] {xi, yj, Math.abs(o.prediction()[i * n + j] - o.truth()[i * n + j])});
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(800).height(700)
                .title("|network − g| on every third grid point").xAxisTitle("x")
                .yAxisTitle("y").build();
        chart.getStyler().setHeatMapValueDecimalPattern("0.000");
        chart.getStyler().setHeatMapDecimalValueFormatter(v -> String.format(Locale.ROOT, "%.2e", v));
        chart.getStyler().setXAxisLabelRotation(90);
        chart.addSeries("|error|", xs, ys, cells);
        return Plots.save(chart, dir, "approximate-" + o.target().key() + "-error");
    }
}
