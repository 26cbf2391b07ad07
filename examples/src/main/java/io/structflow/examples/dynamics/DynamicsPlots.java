package io.structflow.examples.dynamics;

import io.structflow.examples.support.Plots;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG figures of the sir, pendulum and oscillator commands. */
public final class DynamicsPlots {
    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
        new Color(148, 103, 189), new Color(255, 127, 14), new Color(23, 190, 207)};
    /** Values below this are drawn at this height on logarithmic axes (log 0 is undefined). */
    private static final double LOG_FLOOR = 1e-17;

    private DynamicsPlots() {
    }

    /**
     * [CMOSS] Fig. 6: S, I, R of the true flow (lines) and of the learned map applied repeatedly
     * (markers), and the learned total S + I + R.
     *
     * @return the files written: {@code sir_rollout.png}, {@code sir_mass.png}
     */
    public static List<Path> sir(Path dir, SirExperiment.Result r, double time) throws IOException {
        int n = r.trueRollout().length;
        double[] t = new double[n];
        for (int k = 0; k < n; k++) {
            t[k] = k * time;
        }
        XYChart chart = Plots.lineChart("SIR: true flow vs learned mass-preserving map", "t", "fraction of population");
        String[] names = {"S", "I", "R"};
        for (int i = 0; i < 3; i++) {
            double[] truth = column(r.trueRollout(), i);
            double[] learned = column(r.learnedRollout(), i);
            line(chart, names[i] + " true", t, truth, COLORS[i]);
            points(chart, names[i] + " learned", t, learned, COLORS[i]);
        }
        double[] total = new double[n];
        for (int k = 0; k < n; k++) {
            total[k] = r.learnedRollout()[k][0] + r.learnedRollout()[k][1] + r.learnedRollout()[k][2];
        }
        points(chart, "S+I+R learned", t, total, Color.BLACK);
        List<Path> files = new ArrayList<>();
        files.add(Plots.save(chart, dir, "sir_rollout"));

        XYChart mass = Plots.lineChart("SIR: mass defect of the learned map along the rollout", "t",
                "(S+I+R)(t) − (S+I+R)(0)");
        double[] defect = new double[n];
        for (int k = 0; k < n; k++) {
            defect[k] = total[k] - total[0];
        }
        double bound = 1e-16;
        for (double v : defect) {
            bound = Math.max(bound, 2 * Math.abs(v));
        }
        line(mass, "learned", t, defect, COLORS[0]);
        mass.getSeriesMap().get("learned").setMarker(SeriesMarkers.CIRCLE);
        mass.getStyler().setYAxisMin(-bound).setYAxisMax(bound).setYAxisDecimalPattern("0.0E0");
        files.add(Plots.save(mass, dir, "sir_mass"));
        return files;
    }

    /** Mean training loss per epoch on a logarithmic axis, one series per model; saved as {@code name.png}. */
    public static Path losses(Path dir, String name, String title, List<String> labels, List<double[]> losses)
            throws IOException {
        XYChart chart = Plots.lineChart(title, "epoch", "training MSE");
        chart.getStyler().setYAxisLogarithmic(true);
        for (int m = 0; m < labels.size(); m++) {
            double[] l = losses.get(m);
            double[] e = new double[l.length];
            double[] v = new double[l.length];
            for (int i = 0; i < l.length; i++) {
                e[i] = i + 1;
                v[i] = Math.max(l[i], LOG_FLOOR);
            }
            line(chart, labels.get(m), e, v, COLORS[m % COLORS.length]);
        }
        return Plots.save(chart, dir, name);
    }

    /**
     * Phase portraits of the pendulum: the reference orbits (lines) and each model's rollouts
     * (markers, every {@code stride}-th state), one figure per model
     * ({@code pendulum_phase_<model>.png}).
     */
    public static List<Path> pendulumPhase(Path dir, PendulumExperiment.Result r, int stride) throws IOException {
        List<Path> files = new ArrayList<>();
        for (PendulumExperiment.ModelResult m : r.models()) {
            XYChart chart = squareChart("Pendulum: true flow (lines) vs " + m.model().key() + " rollouts (dots), "
                    + (m.portrait()[0].length - 1) + " steps", "q", "p");
            for (int o = 0; o < r.truePortrait().length; o++) {
                Color c = COLORS[o % COLORS.length];
                line(chart, "true " + (o + 1), column(r.truePortrait()[o], 0), column(r.truePortrait()[o], 1), c);
                double[][] learned = inside(thin(m.portrait()[o], stride), Math.PI, 2.0);
                if (learned.length > 0) {
                    points(chart, m.model().key() + " " + (o + 1), column(learned, 0), column(learned, 1), c.darker());
                }
            }
            chart.getStyler().setXAxisMin(-Math.PI).setXAxisMax(Math.PI).setYAxisMin(-2.0).setYAxisMax(2.0);
            files.add(Plots.save(chart, dir, "pendulum_phase_" + m.model().key()));
        }
        return files;
    }

    /** {@code max_{x₀} |H(x_k) − H(x₀)|} against t = k h on a logarithmic axis ({@code pendulum_energy.png}). */
    public static Path pendulumEnergy(Path dir, PendulumExperiment.Result r, double h) throws IOException {
        XYChart chart = Plots.lineChart("Pendulum: energy error along rollouts of the learned maps", "t",
                "max |H(x_k) − H(x_0)|");
        chart.getStyler().setYAxisLogarithmic(true);
        int i = 0;
        for (PendulumExperiment.ModelResult m : r.models()) {
            double[] curve = m.energyCurve();
            int n = curve.length - 1;
            double[] t = new double[n];
            double[] v = new double[n];
            for (int k = 1; k <= n; k++) {
                t[k - 1] = k * h;
                v[k - 1] = Math.min(Math.max(curve[k], LOG_FLOOR), 1e6);
            }
            line(chart, m.model().key(), t, v, COLORS[i++ % COLORS.length]);
        }
        return Plots.save(chart, dir, "pendulum_energy");
    }

    /**
     * The oscillator's orbits in the phase plane ({@code oscillator_phase.png}), its energy over
     * time ({@code oscillator_energy.png}) and the energy error {@code |H − H₀|} on a logarithmic
     * axis ({@code oscillator_energy_error.png}).
     */
    public static List<Path> oscillator(Path dir, List<OscillatorExperiment.MethodResult> methods, double h)
            throws IOException {
        XYChart phase = squareChart("Harmonic oscillator, h = " + h + ": phase plane", "q", "p");
        XYChart energy = Plots.lineChart("Harmonic oscillator, h = " + h + ": energy", "t", "H = (q² + p²)/2");
        int n = methods.get(0).energy().length;
        double[] t = new double[n];
        double[] circleQ = new double[361];
        double[] circleP = new double[361];
        double radius = Math.sqrt(2 * methods.get(0).energy()[0]);
        for (int k = 0; k <= 360; k++) {
            circleQ[k] = radius * Math.cos(Math.toRadians(k));
            circleP[k] = radius * Math.sin(Math.toRadians(k));
        }
        XYSeries exact = phase.addSeries("exact orbit", circleQ, circleP);
        exact.setMarker(SeriesMarkers.NONE);
        exact.setLineStyle(SeriesLines.DASH_DASH);
        exact.setLineColor(Color.GRAY);
        for (int k = 0; k < n; k++) {
            t[k] = k * h;
        }
        XYChart error = Plots.lineChart("Harmonic oscillator, h = " + h + ": energy error", "t", "|H − H₀|");
        error.getStyler().setYAxisLogarithmic(true);
        double[] tail = java.util.Arrays.copyOfRange(t, 1, n);
        int i = 0;
        for (OscillatorExperiment.MethodResult m : methods) {
            Color c = COLORS[i++ % COLORS.length];
            line(phase, m.name(), m.q(), m.p(), c);
            line(energy, m.name(), t, m.energy(), c);
            double[] e = new double[n - 1];
            for (int k = 1; k < n; k++) {
                e[k - 1] = Math.max(Math.abs(m.energy()[k] - m.energy()[0]), LOG_FLOOR);
            }
            line(error, m.name(), tail, e, c);
        }
        return List.of(Plots.save(phase, dir, "oscillator_phase"), Plots.save(energy, dir, "oscillator_energy"),
                Plots.save(error, dir, "oscillator_energy_error"));
    }

    /** A 700×700 line chart, so that circles look round. */
    private static XYChart squareChart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder().width(700).height(700).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return chart;
    }

    private static void line(XYChart chart, String name, double[] x, double[] y, Color c) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(c);
    }

    private static void points(XYChart chart, String name, double[] x, double[] y, Color c) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(c);
    }

    private static double[] column(double[][] rows, int i) {
        double[] out = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            out[k] = rows[k][i];
        }
        return out;
    }

    private static double[][] thin(double[][] rows, int stride) {
        int n = (rows.length + stride - 1) / stride;
        double[][] out = new double[n][];
        for (int k = 0; k < n; k++) {
            out[k] = rows[k * stride];
        }
        return out;
    }

    /** The states with {@code |q| ≤ qMax} and {@code |p| ≤ pMax} (a diverging rollout leaves the figure). */
    private static double[][] inside(double[][] rows, double qMax, double pMax) {
        List<double[]> kept = new ArrayList<>();
        for (double[] r : rows) {
            if (Math.abs(r[0]) <= qMax && Math.abs(r[1]) <= pMax) {
                kept.add(r);
            }
        }
        return kept.toArray(new double[0][]);
    }
}
