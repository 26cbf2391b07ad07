package io.structflow.examples.robust;

import io.structflow.examples.support.Plots;
import io.structflow.layers.models.NetworkKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures of the robustness experiment: accuracy against the ℓ2 radius ε with each curve's
 * AUC in the legend ([CMOSS] Fig. 4), and the learned step sizes of the flexible network
 * ([CMOSS] Fig. 5).
 */
public final class RobustFigures {
    private RobustFigures() {
    }

    /**
     * One chart of accuracy against ε, one line per network, legend "label (AUC a)".
     *
     * @param title    chart title (say which attack or certificate)
     * @param epsilons the radii
     * @param curves   per network: the accuracy at each radius
     * @param aucs     per network: the AUC shown in the legend
     * @param dir      output directory
     * @param name     file name without {@code .png}
     * @return the file written
     */
    public static Path accuracyPlot(String title, double[] epsilons, Map<NetworkKind, double[]> curves,
                                    Map<NetworkKind, Double> aucs, Path dir, String name) throws IOException {
        XYChart chart = Plots.lineChart(title, "epsilon (l2 radius)", "accuracy");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        for (Map.Entry<NetworkKind, double[]> e : curves.entrySet()) {
            String legend = String.format(Locale.ROOT, "%s (AUC %.3f)", e.getKey().label(), aucs.get(e.getKey()));
            chart.addSeries(legend, epsilons, e.getValue()).setMarker(SeriesMarkers.CIRCLE);
        }
        return Plots.save(chart, dir, name);
    }

    /**
     * The learned steps (h₁, h₂) of every pair of the flexible network, pair index on the x axis
     * (pairs of stage 0 first), as in [CMOSS] Fig. 5; a negative h₂ means the second layer of the
     * pair turned contractive.
     */
    public static Path stepsPlot(double[][] steps, int pairsPerStage, Path dir, String name) throws IOException {
        if (steps.length == 0) {
            throw new IllegalArgumentException("RobustFigures.stepsPlot: steps expected at least one pair but got none");
        }
        double[] index = new double[steps.length];
        double[] h1 = new double[steps.length];
        double[] h2 = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            index[i] = i + 1;
            h1[i] = steps[i][0];
            h2[i] = steps[i][1];
        }
        XYChart chart = Plots.lineChart("Learned steps of the flexible network (" + pairsPerStage
                + " pairs per stage)", "pair (stage-major order)", "step size");
        chart.addSeries("h1 (contractive layer)", index, h1).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("h2 (second layer; < 0: contractive)", index, h2).setMarker(SeriesMarkers.DIAMOND);
        chart.addSeries("zero", new double[] {0.5, steps.length + 0.5}, new double[] {0, 0})
                .setMarker(SeriesMarkers.NONE).setLineColor(java.awt.Color.GRAY);
        return Plots.save(chart, dir, name);
    }

    /** The curves of one kind, in network order, from a per-network value. */
    static <T> Map<NetworkKind, T> collect(List<NetworkKind> kinds, Function<NetworkKind, T> value) {
        Map<NetworkKind, T> out = new java.util.LinkedHashMap<>();
        for (NetworkKind k : kinds) {
            out.put(k, value.apply(k));
        }
        return out;
    }
}
