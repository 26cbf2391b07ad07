package io.structflow.examples;

import io.structflow.examples.approximation.ApproximationExperiment;
import io.structflow.examples.approximation.ApproximationReport;
import io.structflow.examples.approximation.FlowApproximator;
import io.structflow.examples.approximation.Target;
import io.structflow.examples.support.ByProtocol;
import io.structflow.examples.support.OptionRanges;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
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
 * [CMOSS] App. A, Fig. 7: {@code f(x) = x² + |x| + sin x} on [−2, 2] and {@code g(x, y) = √(x² + y²)}
 * on [−1, 1]² approximated by a lift, compositions of gradient flows (explicit Euler) and
 * sphere-preserving flows (CayleyHeun), and a linear projection (Thm 2.2), trained by MSE
 * ({@link ApproximationExperiment}); prints the maximum error on a test grid per target (and the
 * untrained network's, for scale), writes results.json and the plots.
 */
@Command(name = "approximate", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = "Approximate f(x) = x^2 + |x| + sin x and g(x, y) = sqrt(x^2 + y^2) by compositions of gradient "
                + "and sphere-preserving flows ([CMOSS] App. A, Fig. 7).")
final class ApproximateCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Option(names = "--targets", defaultValue = "f,g", split = ",", description = "targets among f, g (default ${DEFAULT-VALUE})")
    List<String> targets;

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

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().seed(1).runs(ByProtocol.of(1)).epochs(ByProtocol.of(150).full(1000))
                .dtype(DataType.FLOAT).full("the longer protocol: 1000 epochs, 4000 samples, 8 blocks");
    }

    @Override
    public Integer call() throws IOException {
        List<Target> chosen = targets.stream().map(Target::of).distinct().toList();
        boolean full = shared.full();
        FlowApproximator.GradientKind gradientKind = OptionRanges.parse("--gradient", gradient,
                FlowApproximator.GradientKind::parse);
        FlowApproximator.SphereKind sphereKind = OptionRanges.parse("--sphere", sphere, FlowApproximator.SphereKind::parse);
        ApproximationExperiment.Settings settings = new ApproximationExperiment.Settings(width,
                blocks != null ? blocks : full ? 8 : 4, hidden, step, gradientKind, sphereKind,
                samples != null ? samples : full ? 4000 : 1000, shared.epochs(), batch, learningRate, shared.dtype());
        int runs = shared.runs();
        Path out = shared.prepareOut();
        System.out.println("[CMOSS] App. A, Fig. 7: " + settings.architecture(1).describe() + "; " + settings.samples()
                + " samples, " + settings.epochs() + " epochs, batch " + settings.batch() + ", Adam lr "
                + settings.learningRate() + ", " + SharedOptions.dtypeName(settings.type()));
        Map<Target, List<ApproximationExperiment.Outcome>> outcomes = new LinkedHashMap<>();
        try (Progress progress = new Progress("approximate", (long) chosen.size() * runs * settings.epochs())) {
            for (Target target : chosen) {
                List<ApproximationExperiment.Outcome> runsOfTarget = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    runsOfTarget.add(ApproximationExperiment.run(target, settings, shared.seed() + r, progress::step));
                }
                outcomes.put(target, runsOfTarget);
            }
        }
        ReportWriter.write(ApproximationReport.of(settings, shared.seed(), outcomes), out, System.out);
        return 0;
    }
}
