package io.structflow.examples;

import io.structflow.core.data.FashionMnist;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.NetworkKind;
import io.structflow.examples.robust.RobustExperiment;
import io.structflow.examples.robust.RobustOnSpark;
import io.structflow.examples.robust.RobustReport;
import io.structflow.examples.robust.RobustRun;
import io.structflow.examples.robust.TrainingSettings;
import io.structflow.examples.support.ByProtocol;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SparkOption;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * [CMOSS] §3.3 on Fashion-MNIST: five convolutional networks of the same depth (prescribed
 * switching (3.11), flexible switching (3.12), non-expansive only (3.5), naive constrained and
 * unconstrained ResNet) trained with the multi-class hinge loss; robust accuracy under ℓ2-PGD
 * (the paper's step 0.025·ε and a stronger 0.25·ε), margin-certified accuracy (3.1) with the
 * layers' Lipschitz bound, and AUCs (Fig. 4); the learned steps of the flexible network (Fig. 5).
 * Training checkpoints every epoch and resumes.
 */
@Command(name = "robust", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = {"Robustness of dynamical-systems CNNs on Fashion-MNIST ([CMOSS] §3.3, Fig. 4 and 5).",
                "Threads: 1 by default; -Dstructflow.threads=2 (before -jar) for big runs on a quiet machine."})
final class RobustCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Option(names = "--networks", defaultValue = "all",
            description = "comma-separated: prescribed,flexible,non_expansive,naive,resnet or all (default ${DEFAULT-VALUE})")
    String networks;

    @Option(names = "--data", defaultValue = FashionMnist.DEFAULT_DIRECTORY,
            description = "Fashion-MNIST directory (default ${DEFAULT-VALUE}; " + FashionMnist.INSTALL_HINT + ")")
    Path data;

    @Option(names = "--train-images", description = "training images, 0 = all 60000 (default 20000; --quick 2000)")
    Integer trainImages;

    @Option(names = "--test-images", description = "fixed test images evaluated (default 1024; --quick 256)")
    Integer testImages;

    @Option(names = "--channels", split = ",", description = "channels per stage, 1-3 stages (default 8,16,32)")
    int[] channels = {8, 16, 32};

    @Option(names = "--pairs", defaultValue = "2",
            description = "switching pairs per stage; every network has 2x this many residual layers (default ${DEFAULT-VALUE})")
    int pairs;

    @Option(names = "--substeps", defaultValue = "2", description = "Euler sub-steps S per layer (default ${DEFAULT-VALUE})")
    int substeps;

    @Option(names = "--bounded-lifts", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "keep |α| ≤ 1 in every lift and the head of the constrained networks (default on; "
                    + "--no-bounded-lifts lets α grow and loses the certificates)")
    boolean boundedLifts;

    @Option(names = "--margin", defaultValue = "0.15",
            description = "hinge-loss margin, the paper uses 0.07, 0.15, 0.3 (default ${DEFAULT-VALUE})")
    double margin;

    @Option(names = "--lr", defaultValue = "0.05",
            description = "SGD learning rate of the constrained networks (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9",
            description = "SGD heavy-ball momentum of every network, in [0, 1) (default ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--resnet-lr", defaultValue = "0.005",
            description = "SGD learning rate of the unconstrained ResNet, which diverges at 0.05 (default ${DEFAULT-VALUE})")
    double resnetLr;

    @Option(names = "--lr-step", description = "epochs between x0.1 learning-rate decays (default 4)")
    Integer lrStep;

    @Option(names = "--batch", defaultValue = "64", description = "mini-batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--orth-weight", defaultValue = "1e-3",
            description = "weight of the convolutional orthogonality regulariser (default ${DEFAULT-VALUE}; 0 = off)")
    double orthWeight;

    @Option(names = "--eps-max", defaultValue = "1.0", description = "largest l2 radius (default ${DEFAULT-VALUE})")
    double epsMax;

    @Option(names = "--eps-points", description = "radii in the grid 0..eps-max (default 11: step 0.1; --quick 6)")
    Integer epsPoints;

    @Option(names = "--attack-batch", defaultValue = "256", description = "images per attack batch (default ${DEFAULT-VALUE})")
    int attackBatch;

    @Option(names = "--eager", description = "train eagerly instead of the compiled (record/replay) step")
    boolean eager;

    @Mixin
    SparkOption spark;

    @Option(names = "--local-sgd", paramLabel = "K",
            description = "with --spark: local SGD, replicas averaged (then projected) every K steps, instead of"
                    + " synchronous data-parallel steps")
    Integer localSgd;

    @Option(names = "--trace-every", defaultValue = "0", paramLabel = "K",
            description = "every K steps, trace gradient, update and projection sizes per parameter and the activation"
                    + " scale per layer into out/<network>/trace_*.csv (default ${DEFAULT-VALUE}: off; training unchanged)")
    int traceEvery;

    @Option(names = "--fresh", description = "discard existing checkpoints in --out and train from scratch")
    boolean fresh;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().seed(1).runs(ByProtocol.of(1)).epochs(ByProtocol.of(2).quick(1).full(10))
                .dtype(DataType.FLOAT).describe(SharedOptions.RUNS, "seeds per network; only 1 is supported")
                .quick("smoke run: 2000 training images, 1 epoch, 256 test images, ε grid of 6")
                .full("all 60000 training images, 10 epochs (lr decay every 4), 1024 test images");
    }

    @Override
    public Integer call() throws Exception {
        if (shared.runs() != 1) {
            throw new IllegalArgumentException("--runs: expected 1 (one seed per network; vary --seed and --out for more) "
                    + "but got " + shared.runs());
        }
        boolean quick = shared.quick();
        boolean full = shared.full();
        List<NetworkKind> kinds = NetworkKind.parseList(networks);
        Architecture arch = new Architecture(channels, pairs, substeps, 0.5, boundedLifts, shared.dtype(), shared.seed());
        TrainingSettings settings = new TrainingSettings(shared.epochs(), batch, lr, momentum, lrStep != null ? lrStep : 4, 0.1,
                margin, orthWeight, shared.seed(), !eager);
        int train = trainImages != null ? trainImages : quick ? 2000 : full ? 0 : 20000;
        int test = testImages != null ? testImages : quick ? 256 : 1024;
        double[] grid = RobustExperiment.grid(epsMax, epsPoints != null ? epsPoints : quick ? 6 : 11);
        RobustRun.Options options = new RobustRun.Options(data, shared.out(), kinds, arch, settings, resnetLr, train, test,
                grid, attackBatch, fresh, System.console() != null, traceEvery);
        if (localSgd != null && !spark.enabled()) {
            throw new IllegalArgumentException("--local-sgd: expected together with --spark but got it alone");
        }
        if (traceEvery > 0 && spark.enabled()) {
            throw new IllegalArgumentException("--trace-every: expected without --spark (the trace watches local training)"
                    + " but got both");
        }
        spark.check();
        shared.prepareOut();
        List<RobustRun.NetworkResult> results;
        if (spark.enabled()) {
            try (RobustOnSpark onSpark = new RobustOnSpark(spark.open("robust"), localSgd == null ? 0 : localSgd,
                    System.out)) {
                results = RobustRun.run(options, onSpark, System.out);
            }
        } else {
            results = RobustRun.run(options, System.out);
        }
        ReportWriter.write(RobustReport.of(options, results), options.out(), System.out);
        return 0;
    }
}
