package io.structflow.examples;

import io.structflow.examples.dynamics.FlowMapFit;
import io.structflow.examples.dynamics.SirExperiment;
import io.structflow.examples.dynamics.SirReport;
import io.structflow.examples.dynamics.SirSystem;
import io.structflow.examples.support.ByProtocol;
import io.structflow.examples.support.OptionRanges;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * [CMOSS] §4.3: a mass-preserving network (zero-padding lift, explicit Euler layers on the field
 * (4.2), mass-preserving projection) learns the time-t flow map of the SIR model (4.3)
 * ({@link SirExperiment}); prints the test error next to the identity map's and the worst mass
 * defect, and draws Fig. 6.
 */
@Command(name = "sir", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = {"Mass-preserving network learning the SIR flow map ([CMOSS] §4.3, Fig. 6).",
            "S' = −βSI, I' = βSI − γI, R' = γI; initial states uniform on the simplex; targets from RK4."})
final class SirCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Option(names = "--beta", defaultValue = "2.0", description = "infection rate β (default ${DEFAULT-VALUE})")
    double beta;

    @Option(names = "--gamma", defaultValue = "1.0", description = "recovery rate γ (default ${DEFAULT-VALUE})")
    double gamma;

    @Option(names = "--time", defaultValue = "1.0", description = "time t of the learned flow map (default ${DEFAULT-VALUE})")
    double time;

    @Option(names = "--layers", defaultValue = "9", description = "Euler layers (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--width", defaultValue = "6", description = "lifted width n > 3 (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--hidden", defaultValue = "10", description = "hidden width of each field's network A(z) (default ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--train", defaultValue = "1024", description = "training pairs (default ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", defaultValue = "1024", description = "test pairs (default ${DEFAULT-VALUE})")
    int test;

    @Option(names = "--batch", defaultValue = "32", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-2", description = "Adam learning rate, first epoch (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--lr-final", defaultValue = "1e-4", description = "learning rate of the last epoch, cosine decay (default ${DEFAULT-VALUE})")
    double lrFinal;

    @Option(names = "--rollout", defaultValue = "20", description = "applications of the learned map in Fig. 6 (default ${DEFAULT-VALUE})")
    int rollout;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().seed(1).runs(ByProtocol.of(1)).epochs(ByProtocol.of(100).full(400))
                .dtype(DataType.DOUBLE).full("the full protocol: 400 epochs (the default is 100 × 32 = 3200 Adam steps)");
    }

    @Override
    public Integer call() throws IOException {
        SirSystem system = new SirSystem(OptionRanges.positive("--beta", beta), OptionRanges.positive("--gamma", gamma));
        List<SirExperiment.Config> configs = new ArrayList<>();
        for (int r = 0; r < shared.runs(); r++) {
            long seed = shared.seed() + r;
            configs.add(new SirExperiment.Config(system, time, 100, train, test, width, layers, hidden, 0.1,
                    new FlowMapFit.Settings(shared.epochs(), batch, lr, lrFinal, seed), shared.dtype(), seed,
                    new double[] {0.9, 0.1, 0.0}, rollout));
        }
        Path out = shared.prepareOut();
        System.out.printf("SIR flow map, β = %s, γ = %s, t = %s; %d layers of width %d (hidden %d), %s, "
                        + "%d epochs of batch %d, %d training pairs%n", beta, gamma, time, layers, width, hidden,
                SharedOptions.dtypeName(shared.dtype()), shared.epochs(), batch, train);
        List<SirExperiment.Result> results = new ArrayList<>();
        for (SirExperiment.Config config : configs) {
            results.add(SirExperiment.run(config));
        }
        ReportWriter.write(SirReport.of(configs, results), out, System.out);
        return 0;
    }
}
