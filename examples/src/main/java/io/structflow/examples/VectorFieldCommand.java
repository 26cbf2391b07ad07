package io.structflow.examples;

import io.structflow.examples.support.ByProtocol;
import io.structflow.examples.support.OptionRanges;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
import io.structflow.examples.vectorfield.SplitFieldNetwork;
import io.structflow.examples.vectorfield.TargetField;
import io.structflow.examples.vectorfield.VectorFieldExperiment;
import io.structflow.examples.vectorfield.VectorFieldReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * [CMOSS] App. A, Fig. 8: the 4-dimensional field X₁ and the pendulum X₂ learned from trajectory
 * pairs as {@code X_S + X_G} (sphere-preserving plus gradient part), stepped by
 * {@code Ψ_G ∘ Ψ_S} (Gonzalez discrete gradient after CayleyHeun) and trained through the discrete
 * gradient's residual, with no nonlinear solve ({@link VectorFieldExperiment}); prints the field
 * error on a test grid, writes results.json and arrow plots of true against learned field.
 */
@Command(name = "vector-field", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = "Learn vector fields from trajectory pairs as gradient + sphere-preserving parts, trained through "
                + "the discrete gradient residual ([CMOSS] App. A, Fig. 8).")
final class VectorFieldCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Option(names = "--fields", defaultValue = "x1,x2", split = ",",
            description = "fields among x1 (4-D), x2 (pendulum) (default ${DEFAULT-VALUE})")
    List<String> fields;

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

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().seed(1).runs(ByProtocol.of(1)).epochs(ByProtocol.of(150).full(600))
                .dtype(DataType.DOUBLE).describe(SharedOptions.DTYPE, "float32 or float64; the defect is divided by h, which "
                        + "amplifies round-off").full("the longer protocol: 600 epochs, 8000 pairs");
    }

    @Override
    public Integer call() throws IOException {
        List<TargetField> chosen = fields.stream().map(TargetField::of).distinct().toList();
        SplitFieldNetwork.Composition compositionKind = OptionRanges.parse("--composition", composition,
                SplitFieldNetwork.Composition::parse);
        VectorFieldExperiment.Settings settings = new VectorFieldExperiment.Settings(hidden, step, compositionKind,
                samples != null ? samples : shared.full() ? 8000 : 2000, shared.epochs(), batch, learningRate,
                shared.dtype());
        int runs = shared.runs();
        Path out = shared.prepareOut();
        System.out.println("[CMOSS] App. A, Fig. 8: X = X_S (triangular skew, CayleyHeun) + X_G (general gradient, "
                + "Gonzalez), " + settings.composition().label() + " composition, h = " + step + ", hidden "
                + hidden + "; " + settings.samples() + " pairs, " + settings.epochs() + " epochs, batch " + batch
                + ", Adam lr " + learningRate + ", " + SharedOptions.dtypeName(settings.type()));
        Map<TargetField, List<VectorFieldExperiment.Outcome>> outcomes = new LinkedHashMap<>();
        try (Progress progress = new Progress("vector-field", (long) chosen.size() * runs * settings.epochs())) {
            for (TargetField field : chosen) {
                List<VectorFieldExperiment.Outcome> runsOfField = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    runsOfField.add(VectorFieldExperiment.run(field, settings, shared.seed() + r, progress::step));
                }
                outcomes.put(field, runsOfField);
            }
        }
        ReportWriter.write(VectorFieldReport.of(settings, shared.seed(), outcomes), out, System.out);
        return 0;
    }
}
