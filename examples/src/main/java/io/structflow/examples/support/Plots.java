package io.structflow.examples.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Small helpers over XChart for the examples' PNG figures. */
public final class Plots {
    private Plots() {
    }

    /** An empty 800×600 line chart with a title and axis labels. */
    public static XYChart lineChart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder().width(800).height(600).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setMarkerSize(4);
        return chart;
    }

    /** Adds a line series without markers. */
    public static void addLine(XYChart chart, String name, double[] x, double[] y) {
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }

    /** Adds a scatter series (markers only). */
    public static void addPoints(XYChart chart, String name, double[] x, double[] y) {
        var s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
    }

    /**
     * Saves {@code chart} as {@code dir/name.png}, creating {@code dir}.
     *
     * @return the file written
     */
    public static Path save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
