package io.structflow.examples.demo;

import io.structflow.examples.support.Plots;
import io.structflow.examples.support.Report;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;

/** The demo's report: the loss per epoch, the test accuracy and the loss curve. */
public final class DemoReport {
    private DemoReport() {
    }

    /** The report of {@code r}, run with {@code c}. */
    public static Report of(DemoExperiment.Config c, DemoExperiment.Result r) {
        Report report = new Report().line(String.format("two moons, %d gradient-flow layers of width %d, %d parameters",
                c.layers(), c.width(), r.parameters()));
        for (int e = 0; e < r.losses().length; e++) {
            report.line(String.format("epoch %3d  loss %.4f", e + 1, r.losses()[e]));
        }
        double[] epochs = IntStream.rangeClosed(1, r.losses().length).asDoubleStream().toArray();
        return report.line(String.format("test accuracy %.1f%%", 100 * r.testAccuracy()))
                .put("test_accuracy", r.testAccuracy())
                .put("losses", r.losses())
                .put("parameters", r.parameters())
                .put("layers", c.layers())
                .put("width", c.width())
                .put("epochs", c.epochs())
                .put("seed", c.seed())
                .figure(dir -> {
                    XYChart chart = Plots.lineChart("Two moons: training loss", "epoch", "cross-entropy");
                    Plots.addLine(chart, "gradient-flow classifier", epochs, r.losses());
                    return List.of(Plots.save(chart, dir, "demo_loss"));
                });
    }
}
