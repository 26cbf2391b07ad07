package io.structflow.examples.planar;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.PlanarData;
import io.structflow.layers.models.Family;
import io.structflow.layers.models.PlanarClassifier;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures of the planar experiment: decision regions (a dense grid coloured by the predicted
 * probability of class 1, in {@value #LEVELS} bands, with the test points on top) and the learned
 * step length of each layer per family ([CMOSS] Fig. 1a).
 */
public final class PlanarPlots {
    /** Grid points per axis of the decision-region plot. */
    static final int GRID = 120;
    /** Probability bands of the decision-region plot. */
    static final int LEVELS = 8;

    private PlanarPlots() {
    }

    /**
     * The decision regions of {@code model} over the bounding box of {@code test} (plus a margin),
     * with the test points coloured by their label and, for the disc, the true boundary circle.
     */
    public static XYChart decisionRegions(PlanarClassifier model, Dataset test, PlanarSet set, String title) {
        double[] xy = test.features().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : xy) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double margin = 0.1 * (hi - lo);
        lo -= margin;
        hi += margin;
        double[] grid = new double[2 * GRID * GRID];
        double d = (hi - lo) / (GRID - 1);
        for (int i = 0; i < GRID; i++) {
            for (int j = 0; j < GRID; j++) {
                int k = 2 * (i * GRID + j);
                grid[k] = lo + j * d;
                grid[k + 1] = lo + i * d;
            }
        }
        double[] p1;
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor logits = model.forward(Tensor.of(test.features().dataType(), grid, (long) GRID * GRID, 2));
            p1 = logits.softmax(1).value().getColumn(1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                    .data().asDouble();
        }
        int side = 760;
        XYChart chart = new XYChartBuilder().width(side + 160).height(side).title(title).xAxisTitle("x₁").yAxisTitle("x₂")
                .build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesVisible(false);
        chart.getStyler().setXAxisMin(lo).setXAxisMax(hi).setYAxisMin(lo).setYAxisMax(hi);
        chart.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        List<List<double[]>> bands = new ArrayList<>();
        for (int b = 0; b < LEVELS; b++) {
            bands.add(new ArrayList<>());
        }
        for (int k = 0; k < p1.length; k++) {
            int b = Math.min(LEVELS - 1, (int) (p1[k] * LEVELS));
            bands.get(b).add(new double[] {grid[2 * k], grid[2 * k + 1]});
        }
        int cell = Math.max(2, (int) Math.ceil(side * 0.86 / GRID) + 1);
        for (int b = 0; b < LEVELS; b++) {
            List<double[]> pts = bands.get(b);
            if (pts.isEmpty()) {
                continue;
            }
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pts.get(i)[0];
                y[i] = pts.get(i)[1];
            }
            String name = String.format("p(1) %.2f–%.2f", (double) b / LEVELS, (double) (b + 1) / LEVELS);
            XYSeries s = chart.addSeries(name, x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.SQUARE);
            s.setMarkerColor(band(b));
        }
        chart.getStyler().setMarkerSize(cell);
        addPoints(chart, test, xy, 0, new Color(25, 60, 160), "test, label 0");
        addPoints(chart, test, xy, 1, new Color(170, 20, 20), "test, label 1");
        if (set == PlanarSet.DISC) {
            int m = 200;
            double[] cx = new double[m + 1];
            double[] cy = new double[m + 1];
            for (int i = 0; i <= m; i++) {
                cx[i] = PlanarData.DISC_RADIUS * Math.cos(2 * Math.PI * i / m);
                cy[i] = PlanarData.DISC_RADIUS * Math.sin(2 * Math.PI * i / m);
            }
            XYSeries c = chart.addSeries("true boundary r = 1/√2", cx, cy);
            c.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            c.setMarker(SeriesMarkers.NONE);
            c.setLineColor(Color.BLACK);
            c.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        }
        return chart;
    }

    /** Test points of one label as small filled circles (drawn as marker-only line series). */
    private static void addPoints(XYChart chart, Dataset test, double[] xy, int label, Color color, String name) {
        int[] labels = test.labels();
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                x.add(xy[2 * i]);
                y.add(xy[2 * i + 1]);
            }
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
    }

    /** Light blue (p(1) = 0) through white to light red (p(1) = 1). */
    static Color band(int b) {
        double t = (b + 0.5) / LEVELS;
        Color blue = new Color(120, 160, 235);
        Color red = new Color(240, 130, 120);
        Color white = new Color(250, 250, 250);
        Color from = t < 0.5 ? blue : white;
        Color to = t < 0.5 ? white : red;
        double u = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5;
        return new Color((int) Math.round(from.getRed() + u * (to.getRed() - from.getRed())),
                (int) Math.round(from.getGreen() + u * (to.getGreen() - from.getGreen())),
                (int) Math.round(from.getBlue() + u * (to.getBlue() - from.getBlue())));
    }

    /**
     * The learned step length of each layer, one bar series per family (the run with the median
     * test accuracy of each), as [CMOSS] Fig. 1a.
     *
     * @param steps family → steps per layer (same length for all)
     */
    public static CategoryChart steps(Map<Family, double[]> steps) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(560)
                .title("Learned step lengths per layer (median-accuracy run of each family)")
                .xAxisTitle("layer").yAxisTitle("step h").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setOverlapped(false);
        Color[] colors = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115)};
        for (Map.Entry<Family, double[]> e : steps.entrySet()) {
            double[] h = e.getValue();
            List<Integer> layer = new ArrayList<>();
            List<Double> value = new ArrayList<>();
            for (int i = 0; i < h.length; i++) {
                layer.add(i + 1);
                value.add(h[i]);
            }
            var s = chart.addSeries(e.getKey().key() + " (" + e.getKey().symbol() + ")", layer, value);
            s.setFillColor(colors[e.getKey().ordinal()]);
        }
        return chart;
    }
}
