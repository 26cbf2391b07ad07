package io.structflow.examples;

import io.structflow.examples.support.DataTypeConverter;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.Results;
import io.structflow.examples.support.Table;
import io.structflow.examples.vectorfield.SplitFieldNetwork;
import io.structflow.examples.vectorfield.TargetField;
import io.structflow.examples.vectorfield.VectorFieldExperiment;
import io.structflow.examples.vectorfield.VectorFieldPlots;
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
 * [CMOSS] App. A, Fig. 8: the 4-dimensional field X₁ and the pendulum X₂ learned from trajectory
 * pairs as {@code X_S + X_G} (sphere-preserving plus gradient part), stepped by
 * {@code Ψ_G ∘ Ψ_S} (Gonzalez discrete gradient after CayleyHeun) and trained through the discrete
 * gradient's residual, with no nonlinear solve; prints the field error on a test grid, writes
 * results.json and arrow plots of true against learned field.
 */
@Command(name = "vector-field", mixinStandardHelpOptions = true,
        description = "Learn vector fields from trajectory pairs as gradient + sphere-preserving parts, trained through "
                + "the discrete gradient residual ([CMOSS] App. A, Fig. 8).")
final class VectorFieldCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--fields", defaultValue = "x1,x2", split = ",",
            description = "fields among x1 (4-D), x2 (pendulum) (default ${DEFAULT-VALUE})")
    List<String> fields;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the first run (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--runs", defaultValue = "1", description = "runs per field with seeds seed, seed+1, … (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--epochs", description = "training epochs (default 150, 600 with --full)")
    Integer epochs;

    @Option(names = "--samples", description = "training pairs (default 2000, 8000 with --full)")
    Integer samples;

    @Option(names = "--batch", defaultValue = "100", description = "mini-batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate, cosine annealed (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--hidden", defaultValue = "32", description = "hidden width of each part (default ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--step", defaultValue = "0.05", description = "time between the states of a pair (default ${DEFAULT-VALUE})")
    double step;

    @Option(names = "--composition", defaultValue = "lie-trotter",
            description = "lie-trotter (Psi_G o Psi_S, the paper's) or symmetric (default ${DEFAULT-VALUE})")
    String composition;

    @Option(names = "--dtype", defaultValue = "float64", converter = DataTypeConverter.class,
            description = "float32 or float64 (default ${DEFAULT-VALUE}: the defect is divided by h, which amplifies round-off)")
    DataType dtype;

    @Option(names = "--full", description = "the longer protocol: 600 epochs, 8000 pairs")
    boolean full;

    @Option(names = "--out", defaultValue = "out/vector-field", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<TargetField> chosen = parseFields();
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs: expected ≥ 1 but got " + runs);
        }
        VectorFieldExperiment.Settings settings;
        try {
            settings = new VectorFieldExperiment.Settings(hidden, step, SplitFieldNetwork.Composition.parse(composition),
                    samples != null ? samples : full ? 8000 : 2000, epochs != null ? epochs : full ? 600 : 150, batch,
                    learningRate, dtype);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        System.out.println("[CMOSS] App. A, Fig. 8: X = X_S (triangular skew, CayleyHeun) + X_G (general gradient, "
                + "Gonzalez), " + settings.composition().label() + " composition, h = " + step + ", hidden "
                + hidden + "; " + settings.samples() + " pairs, " + settings.epochs() + " epochs, batch " + batch
                + ", Adam lr " + learningRate + ", " + (dtype == DataType.DOUBLE ? "float64" : "float32"));

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("command", "vector-field");
        results.put("settings", settingsMap(settings));
        Table table = new Table("field", "formula", "runs", "max error", "relative L2", "untrained max error",
                "untrained rel. L2", "final defect", "parameters", "seconds");
        try (Progress progress = new Progress("vector-field", (long) chosen.size() * runs * settings.epochs())) {
            for (TargetField field : chosen) {
                List<VectorFieldExperiment.Outcome> outcomes = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    outcomes.add(VectorFieldExperiment.run(field, settings, seed + r, progress::step));
                }
                VectorFieldExperiment.Outcome first = outcomes.get(0);
                double maxError = median(outcomes, VectorFieldExperiment.Outcome::maxError);
                double relative = median(outcomes, VectorFieldExperiment.Outcome::relativeL2);
                double untrainedMax = median(outcomes, VectorFieldExperiment.Outcome::untrainedMaxError);
                double untrainedRelative = median(outcomes, VectorFieldExperiment.Outcome::untrainedRelativeL2);
                double loss = median(outcomes, VectorFieldExperiment.Outcome::finalLoss);
                double seconds = outcomes.stream().mapToDouble(VectorFieldExperiment.Outcome::seconds).sum();
                table.row(field.key(), field.formula(), runs, ApproximateCommand.fmt(maxError),
                        ApproximateCommand.fmt(relative), ApproximateCommand.fmt(untrainedMax),
                        ApproximateCommand.fmt(untrainedRelative), ApproximateCommand.fmt(loss), first.parameters(),
                        String.format(Locale.ROOT, "%.1f", seconds));
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("formula", field.formula());
                entry.put("box_radius", field.radius());
                entry.put("max_error", maxError);
                entry.put("relative_l2_error", relative);
                entry.put("untrained_max_error", untrainedMax);
                entry.put("untrained_relative_l2_error", untrainedRelative);
                entry.put("final_defect", loss);
                entry.put("parameters", first.parameters());
                entry.put("seconds", seconds);
                entry.put("max_error_runs", outcomes.stream().mapToDouble(VectorFieldExperiment.Outcome::maxError).toArray());
                entry.put("seeds", outcomes.stream().mapToLong(VectorFieldExperiment.Outcome::seed).toArray());
                results.put(field.key(), entry);
                if (field == TargetField.X2) {
                    VectorFieldPlots.plane(first, 0, 1, dtype, out, "vector-field-x2");
                } else {
                    VectorFieldPlots.plane(first, 0, 1, dtype, out, "vector-field-x1-plane12");
                    VectorFieldPlots.plane(first, 2, 3, dtype, out, "vector-field-x1-plane34");
                }
            }
        }
        System.out.print(table);
        Path file = Results.write(out, results);
        System.out.println("wrote " + file + " and the plots in " + out);
        return 0;
    }

    private List<TargetField> parseFields() {
        List<TargetField> chosen = new ArrayList<>();
        for (String f : fields) {
            TargetField field = Arrays.stream(TargetField.values()).filter(v -> v.key().equalsIgnoreCase(f.trim()))
                    .findFirst().orElseThrow(() -> new ParameterException(spec.commandLine(),
                            "--fields: expected a list of x1, x2 but got '" + f + "'"));
            if (!chosen.contains(field)) {
                chosen.add(field);
            }
        }
        return chosen;
    }

    private Map<String, Object> settingsMap(VectorFieldExperiment.Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", s.hidden());
        m.put("step", s.step());
        m.put("composition", s.composition().label());
        m.put("samples", s.samples());
        m.put("epochs", s.epochs());
        m.put("batch", s.batch());
        m.put("learning_rate", s.learningRate());
        m.put("dtype", s.type() == DataType.DOUBLE ? "float64" : "float32");
        m.put("seed", seed);
        m.put("runs", runs);
        return m;
    }

    private static double median(List<VectorFieldExperiment.Outcome> outcomes,
                                 java.util.function.ToDoubleFunction<VectorFieldExperiment.Outcome> f) {
        return ApproximateCommand.median(outcomes.stream().mapToDouble(f).toArray());
    }
}
