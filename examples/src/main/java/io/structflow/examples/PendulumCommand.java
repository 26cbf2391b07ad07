package io.structflow.examples;

import io.structflow.examples.dynamics.FlowMapFit;
import io.structflow.examples.dynamics.PendulumExperiment;
import io.structflow.examples.dynamics.PendulumExperiment.Model;
import io.structflow.examples.dynamics.PendulumReport;
import io.structflow.examples.support.ByProtocol;
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
 * Learning the pendulum's flow map ([M-slides] "Learning the Hamiltonian", [CMOSS] §4.1) with a
 * SympNet, a Störmer–Verlet step of a learned separable Hamiltonian, and an unstructured ResNet
 * ({@link PendulumExperiment}); prints test error, symplecticity residual and energy error of long
 * rollouts, and draws phase portraits and the energy error over time.
 */
@Command(name = "pendulum", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = {"SympNet vs Hamiltonian network vs ResNet learning the pendulum flow map (H = p²/2 − cos q, h = 0.1).",
            "Reports test MSE, symplecticity residual ‖JᵀΩJ − Ω‖ and the energy error of 1000-step rollouts."})
final class PendulumCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Option(names = "--models", defaultValue = "sympnet,hamiltonian,resnet", split = ",",
            description = "models to train, from sympnet, hamiltonian, resnet (default ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--train", defaultValue = "4096", description = "training pairs (default ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", defaultValue = "1024", description = "test pairs (default ${DEFAULT-VALUE})")
    int test;

    @Option(names = "--batch", defaultValue = "256", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--lr-final", description = "learning rate of the last epoch, cosine decay (default: --lr, constant)")
    Double lrFinal;

    @Option(names = "--symp-modules", defaultValue = "8", description = "SympNet gradient modules (default ${DEFAULT-VALUE})")
    int sympModules;

    @Option(names = "--symp-width", defaultValue = "32", description = "SympNet module width (default ${DEFAULT-VALUE})")
    int sympWidth;

    @Option(names = "--ham-width", defaultValue = "128", description = "width of each network of H_θ (default ${DEFAULT-VALUE})")
    int hamWidth;

    @Option(names = "--resnet-blocks", defaultValue = "8", description = "ResNet blocks (default ${DEFAULT-VALUE})")
    int resnetBlocks;

    @Option(names = "--resnet-width", defaultValue = "19", description = "ResNet hidden width (default ${DEFAULT-VALUE})")
    int resnetWidth;

    @Option(names = "--rollout", defaultValue = "1000", description = "rollout steps for the energy error (default ${DEFAULT-VALUE})")
    int rollout;

    @Option(names = "--orbits", defaultValue = "8", description = "random rollout initial states besides the 3 portrait ones (default ${DEFAULT-VALUE})")
    int orbits;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().seed(1).runs(ByProtocol.of(1)).epochs(ByProtocol.of(150).full(625))
                .dtype(DataType.FLOAT).describe(SharedOptions.EPOCHS, "training epochs of 16 steps each")
                .full("the full protocol: 625 epochs = 10⁴ Adam steps of batch 256");
    }

    @Override
    public Integer call() throws IOException {
        List<Model> chosen = models.stream().map(Model::of).distinct().toList();
        double finalRate = lrFinal == null ? lr : lrFinal;
        List<PendulumExperiment.Config> configs = new ArrayList<>();
        for (int r = 0; r < shared.runs(); r++) {
            long seed = shared.seed() + r;
            configs.add(new PendulumExperiment.Config(0.1, 10, 1.5, train, test, sympModules, sympWidth, hamWidth,
                    resnetBlocks, resnetWidth, new FlowMapFit.Settings(shared.epochs(), batch, lr, finalRate, seed),
                    shared.dtype(), seed, rollout, orbits, new double[] {0.5, 1.0, 1.5}, 32, chosen));
        }
        Path out = shared.prepareOut();
        System.out.printf("pendulum flow map, h = 0.1, box [−π, π] × [−1.5, 1.5], %s, %d epochs × %d steps of "
                        + "batch %d, Adam lr %s%s%n", SharedOptions.dtypeName(shared.dtype()), shared.epochs(),
                train / batch, batch, lr, lrFinal == null ? "" : " → " + lrFinal);
        List<PendulumExperiment.Result> results = new ArrayList<>();
        for (PendulumExperiment.Config config : configs) {
            results.add(PendulumExperiment.run(config));
        }
        ReportWriter.write(PendulumReport.of(configs.get(0), results), out, System.out);
        return 0;
    }
}
