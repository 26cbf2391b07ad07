package io.structflow.examples;

import io.structflow.examples.approximation.ApproximationExperiment;
import io.structflow.examples.approximation.ApproximationPlots;
import io.structflow.examples.approximation.FlowApproximator;
import io.structflow.examples.approximation.Target;
import io.structflow.examples.support.DataTypeConverter;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.Results;
import io.structflow.examples.support.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * [CMOSS] App. A, Fig. 7: {@code f(x) = x² + |x| + sin x} on [−2, 2] and {@code g(x, y) = √(x² + y²)}
 * on [−1, 1]² approximated by a lift, compositions of gradient flows (explicit Euler) and
 * sphere-preserving flows (CayleyHeun), and a linear projection (Thm 2.2), trained by MSE; prints
 * the maximum error on a test grid per target (and the untrained network's, for scale), writes
 * results.json and the plots.
 */
@Command(name = "approximate", mixinStandardHelpOptions = true,
        description = "Approximate f(x) = x^2 + |x| + sin x and g(x, y) = sqrt(x^2 + y^2) by compositions of gradient "
                + "and sphere-preserving flows ([CMOSS] App. A, Fig. 7).")
final class ApproximateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--targets", defaultValue = "f,g", split = ",", description = "targets among f, g (default ${DEFAULT-VALUE})")
    List<String> targets;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the first run (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--runs", defaultValue = "1", description = "runs per target with seeds seed, seed+1, … (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--epochs", description = "training epochs (default 150, 1000 with --full)")
    Integer epochs;

    @Option(names = "--samples", description = "training points (default 1000, 4000 with --full)")
    Integer samples;

    @Option(names = "--batch", defaultValue = "100", description = "mini-batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "0.02", description = "Adam learning rate, cosine annealed (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--width", defaultValue = "4", description = "lifted dimension n (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--blocks", description = "(gradient, sphere) step pairs (default 4, 8 with --full)")
    Integer blocks;

    @Option(names = "--hidden", defaultValue = "16", description = "hidden width of each field (default ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--step", defaultValue = "0.3", description = "initial learnable step of every layer (default ${DEFAULT-VALUE})")
    double step;

    @Option(names = "--gradient", defaultValue = "general",
            description = "gradient fields: general, contractive, expansive, alternating (default ${DEFAULT-VALUE})")
    String gradient;

    @Option(names = "--sphere", defaultValue = "triangular",
            description = "sphere-preserving fields: triangular, projected (default ${DEFAULT-VALUE})")
    String sphere;

    @Option(names = "--dtype", defaultValue = "float32", converter = DataTypeConverter.class,
            description = "float32 or float64 (default ${DEFAULT-VALUE})")
    DataType dtype;

    @Option(names = "--full", description = "the longer protocol: 1000 epochs, 4000 samples, 8 blocks")
    boolean full;

    @Option(names = "--out", defaultValue = "out/approximate", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<Target> chosen = parseTargets();
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs: expected ≥ 1 but got " + runs);
        }
        ApproximationExperiment.Settings settings;
        try {
            settings = new ApproximationExperiment.Settings(width, blocks != null ? blocks : full ? 8 : 4, hidden, step,
                    FlowApproximator.GradientKind.parse(gradient), FlowApproximator.SphereKind.parse(sphere),
                    samples != null ? samples : full ? 4000 : 1000, epochs != null ? epochs : full ? 1000 : 150, batch,
                    learningRate, dtype);
            settings.architecture(1);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        System.out.println("[CMOSS] App. A, Fig. 7: " + settings.architecture(1).describe() + "; " + settings.samples()
                + " samples, " + settings.epochs() + " epochs, batch " + settings.batch() + ", Adam lr "
                + settings.learningRate() + ", " + (dtype == DataType.DOUBLE ? "float64" : "float32"));

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("command", "approximate");
        results.put("settings", settingsMap(settings));
        Table table = new Table("target", "formula", "runs", "max error", "rmse", "untrained max error", "final loss",
                "parameters", "seconds");
        try (Progress progress = new Progress("approximate", (long) chosen.size() * runs * settings.epochs())) {
            for (Target target : chosen) {
                List<ApproximationExperiment.Outcome> outcomes = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    outcomes.add(ApproximationExperiment.run(target, settings, seed + r, progress::step));
                }
                ApproximationExperiment.Outcome first = outcomes.get(0);
                double maxError = median(outcomes.stream().mapToDouble(ApproximationExperiment.Outcome::maxError).toArray());
                double rmse = median(outcomes.stream().mapToDouble(ApproximationExperiment.Outcome::rmse).toArray());
                double untrained = median(outcomes.stream()
                        .mapToDouble(ApproximationExperiment.Outcome::untrainedMaxError).toArray());
                double loss = median(outcomes.stream().mapToDouble(ApproximationExperiment.Outcome::finalLoss).toArray());
                double seconds = outcomes.stream().mapToDouble(ApproximationExperiment.Outcome::seconds).sum();
                table.row(target.key(), target.formula(), runs, fmt(maxError), fmt(rmse), fmt(untrained), fmt(loss),
                        first.parameters(), String.format(Locale.ROOT, "%.1f", seconds));
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("formula", target.formula());
                entry.put("domain", new double[] {target.lo(), target.hi()});
                entry.put("max_error", maxError);
                entry.put("rmse", rmse);
                entry.put("untrained_max_error", untrained);
                entry.put("final_loss", loss);
                entry.put("parameters", first.parameters());
                entry.put("seconds", seconds);
                entry.put("max_error_runs", outcomes.stream().mapToDouble(ApproximationExperiment.Outcome::maxError).toArray());
                entry.put("seeds", outcomes.stream().mapToLong(ApproximationExperiment.Outcome::seed).toArray());
                results.put(target.key(), entry);
                if (target == Target.F) {
                    ApproximationPlots.curve(first, out);
                } else {
                    ApproximationPlots.slices(first, out);
                    ApproximationPlots.errorMap(first, out);
                }
            }
        }
        System.out.print(table);
        Path file = Results.write(out, results);
        System.out.println("wrote " + file + " and the plots in " + out);
        return 0;
    }

    private List<Target> parseTargets() {
        List<Target> chosen = new ArrayList<>();
        for (String t : targets) {
            Target target = Arrays.stream(Target.values()).filter(v -> v.key().equalsIgnoreCase(t.trim())).findFirst()
                    .orElseThrow(() -> new ParameterException(spec.commandLine(),
                            "--targets: expected a list of f, g but got '" + t + "'"));
            if (!chosen.contains(target)) {
                chosen.add(target);
            }
        }
        return chosen;
    }

    private Map<String, Object> settingsMap(ApproximationExperiment.Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", s.width());
        m.put("blocks", s.blocks());
        m.put("hidden", s.hidden());
        m.put("initial_step", s.initialStep());
        m.put("gradient", s.gradient().name().toLowerCase(Locale.ROOT));
        m.put("sphere", s.sphere().name().toLowerCase(Locale.ROOT));
        m.put("samples", s.samples());
        m.put("epochs", s.epochs());
        m.put("batch", s.batch());
        m.put("learning_rate", s.learningRate());
        m.put("dtype", s.type() == DataType.DOUBLE ? "float64" : "float32");
        m.put("seed", seed);
        m.put("runs", runs);
        return m;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
