package io.structflow.examples;

import io.structflow.examples.dynamics.DeepSympNetExperiment;
import io.structflow.examples.dynamics.DeepSympNetReport;
import io.structflow.examples.dynamics.FlowMapFit;
import io.structflow.examples.support.ByProtocol;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A 1000-module SympNet learning the pendulum's flow map, trained by reversible backpropagation
 * ({@link DeepSympNetExperiment}): activation memory independent of depth.
 */
@Command(name = "deep-sympnet", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = {"A very deep G-SympNet (default 1000 modules) learning the pendulum flow map (h = 0.1),",
            "trained by reversible backpropagation: layer inputs are rebuilt by the exact inverses, not stored.",
            "Reports test MSE, symplecticity residual, reconstruction drift and the gap to ordinary gradients."})
final class DeepSympNetCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Option(names = "--depth", defaultValue = "1000", description = "gradient modules (default ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--width", defaultValue = "8", description = "hidden width of each module (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--train", defaultValue = "2048", description = "training pairs (default ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", defaultValue = "512", description = "test pairs (default ${DEFAULT-VALUE})")
    int test;

    @Option(names = "--batch", defaultValue = "256", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "3e-4", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    double lr;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().seed(1).epochs(ByProtocol.of(8)).dtype(DataType.FLOAT)
                .describe(SharedOptions.EPOCHS, "training epochs of --train / --batch steps each");
    }

    @Override
    public Integer call() throws IOException {
        DeepSympNetExperiment.Config config = new DeepSympNetExperiment.Config(depth, width, 0.1, 10, 1.5, train, test,
                FlowMapFit.Settings.constant(shared.epochs(), batch, lr, shared.seed()), shared.dtype(), shared.seed(),
                16);
        Path out = shared.prepareOut();
        System.out.printf("deep SympNet, %d gradient modules of width %d, pendulum flow map h = 0.1, %s, %d epochs × %d "
                        + "steps of batch %d, Adam lr %s, reversible backpropagation%n", depth, width,
                SharedOptions.dtypeName(shared.dtype()), shared.epochs(), train / batch, batch, lr);
        ReportWriter.write(DeepSympNetReport.of(config, DeepSympNetExperiment.run(config)), out, System.out);
        return 0;
    }
}
