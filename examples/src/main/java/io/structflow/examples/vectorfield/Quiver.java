package io.structflow.examples.vectorfield;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Arrow ("quiver") plots on an XChart line chart, which has no arrow series: every arrow is a
 * shaft and two head strokes, and the strokes of all arrows form one line series whose pieces are
 * separated by NaN (XChart breaks a line at NaN).
 */
public final class Quiver {
    private Quiver() {
    }

    /**
     * Adds one arrow per point, all scaled by the same factor.
     *
     * @param chart the chart
     * @param name  series name
     * @param color line colour
     * @param base  arrow tails {@code [k][2]}
     * @param arrow vectors {@code [k][2]}
     * @param scale length factor (the arrow drawn is {@code scale·arrow})
     */
    public static void add(XYChart chart, String name, Color color, double[][] base, double[][] arrow, double scale) {
        if (base.length != arrow.length) {
            throw new IllegalArgumentException("Quiver.add: arrow expected " + base.length + " rows (one per base point)"
                    + " but got " + arrow.length);
        }
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < base.length; i++) {
            double x0 = base[i][0];
            double y0 = base[i][1];
            double dx = scale * arrow[i][0];
            double dy = scale * arrow[i][1];
            double x1 = x0 + dx;
            double y1 = y0 + dy;
            stroke(xs, ys, x0, y0, x1, y1);
            double head = 0.3;
            double cos = Math.cos(Math.toRadians(25));
            double sin = Math.sin(Math.toRadians(25));
            stroke(xs, ys, x1, y1, x1 - head * (cos * dx - sin * dy), y1 - head * (sin * dx + cos * dy));
            stroke(xs, ys, x1, y1, x1 - head * (cos * dx + sin * dy), y1 - head * (-sin * dx + cos * dy));
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(1.2f);
    }

    private static void stroke(List<Double> xs, List<Double> ys, double xa, double ya, double xb, double yb) {
        xs.add(xa);
        ys.add(ya);
        xs.add(xb);
        ys.add(yb);
        xs.add(Double.NaN);
        ys.add(Double.NaN);
    }

    /** The factor that makes the longest of {@code arrows} {@code length} long. */
    public static double scaleFor(double length, double[][]... arrows) {
        double longest = 0;
        for (double[][] set : arrows) {
            for (double[] a : set) {
                longest = Math.max(longest, Math.hypot(a[0], a[1]));
            }
        }
        return longest == 0 ? 1 : length / longest;
    }
}
