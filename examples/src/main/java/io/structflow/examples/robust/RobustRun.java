package io.structflow.examples.robust;

import io.structflow.core.data.Dataset;
import io.structflow.core.data.FashionMnist;
import io.structflow.core.io.AtomicFiles;
import io.structflow.core.train.Checkpoint;
import io.structflow.examples.support.FileErrors;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.RobustNetworks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The whole robustness experiment of [CMOSS] §3.3 on Fashion-MNIST: for each chosen network,
 * train (or resume, or load) it, evaluate it (clean, PGD robust with two steps, certified
 * accuracy, AUCs, Lipschitz bound). {@link RobustReport} turns the results into tables,
 * {@code results.json} and the figures.
 */
public final class RobustRun {
    private RobustRun() {
    }

    /**
     * Everything a run needs.
     *
     * @param dataDir      Fashion-MNIST directory
     * @param out          output directory; each network trains in {@code out/<network>}
     * @param networks     the networks, in order
     * @param arch         the architecture shared by all networks
     * @param settings     training settings
     * @param resnetLearningRate η₀ of the unconstrained ResNet, which diverges at the rate the constrained
     *                     networks train with (the others use {@code settings.learningRate()})
     * @param trainImages  training images used (0: all 60 000)
     * @param testImages   fixed test images evaluated (the first ones of the test set)
     * @param epsilons     radii, strictly increasing from 0
     * @param attackBatch  images per attack batch
     * @param fresh        delete existing checkpoints first
     * @param progress     show progress bars
     * @param traceEvery   steps between traced steps ({@link RobustExperiment#train}), 0 for no trace
     */
    public record Options(Path dataDir, Path out, List<NetworkKind> networks, Architecture arch,
                          TrainingSettings settings, double resnetLearningRate, int trainImages, int testImages,
                          double[] epsilons, int attackBatch, boolean fresh, boolean progress, int traceEvery) {
        /** Validates what the records it holds do not. */
        public Options {
            if (!(resnetLearningRate > 0) || !Double.isFinite(resnetLearningRate)) {
                throw new IllegalArgumentException("--resnet-lr: expected a finite rate > 0 but got " + resnetLearningRate);
            }
            if (networks == null || networks.isEmpty()) {
                throw new IllegalArgumentException("--networks: expected at least one network but got none");
            }
            if (trainImages < 0) {
                throw new IllegalArgumentException("--train-images: expected ≥ 0 (0: all) but got " + trainImages);
            }
            if (testImages < 1 || testImages > 10000) {
                throw new IllegalArgumentException("--test-images: expected 1 to 10000 but got " + testImages);
            }
            if (attackBatch < 1) {
                throw new IllegalArgumentException("--attack-batch: expected ≥ 1 but got " + attackBatch);
            }
            if (traceEvery < 0) {
                throw new IllegalArgumentException("--trace-every: expected ≥ 0 steps (0: no trace) but got " + traceEvery);
            }
        }

        /** The training settings of network {@code kind}: the ResNet's learning rate is its own. */
        public TrainingSettings settingsFor(NetworkKind kind) {
            return kind == NetworkKind.RESNET ? settings.withLearningRate(resnetLearningRate) : settings;
        }
    }

    /**
     * Fashion-MNIST from {@code dataDir}.
     *
     * @throws IllegalArgumentException naming {@code --data} if the files are missing (the message says how to
     *                                  install them) or malformed
     */
    public static FashionMnist loadData(Path dataDir) {
        try {
            return FashionMnist.load(dataDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--data: " + FileErrors.describe(e), e);
        }
    }

    /** Deletes the checkpoint in {@code dir} and the temporary files of killed saves ({@code --fresh}). */
    public static void discardCheckpoint(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(Checkpoint.FILE_NAME));
        AtomicFiles.deleteTemporaries(dir.resolve(Checkpoint.FILE_NAME));
    }

    /** The measured numbers of one network. */
    public record NetworkResult(NetworkKind kind, long parameters, RobustExperiment.TrainingOutcome training,
                                RobustExperiment.Evaluation evaluation, double[][] learnedSteps) {
    }

    /**
     * Runs the experiment, printing progress and the tables on {@code log}.
     *
     * @return one result per network, in the order asked
     * @throws IllegalArgumentException naming {@code --data} if the data are missing (the message says how to install
     *                                  them) or malformed
     */
    public static List<NetworkResult> run(Options o, PrintStream log) throws IOException {
        return run(o, null, log);
    }

    /**
     * As {@link #run(Options, PrintStream)}, training and evaluating on Spark when {@code spark}
     * is not null.
     */
    public static List<NetworkResult> run(Options o, RobustOnSpark spark, PrintStream log) throws IOException {
        FashionMnist data = loadData(o.dataDir());
        TrainingSettings training = o.settings();
        log.printf("robust: %s; %d epoch(s), batch %d, SGD lr %s momentum %s, x%s every %d epochs, hinge margin %s,"
                        + " orthogonality weight %s; epsilons %s%n", o.networks(), training.epochs(),
                training.batchSize(), training.learningRate(), training.momentum(), training.gamma(),
                training.stepEpochs(), training.margin(), training.orthWeight(), Arrays.toString(o.epsilons()));
        Dataset train = data.trainingSet(o.trainImages(), o.arch().type());
        log.printf("Fashion-MNIST: %d training images, %d fixed test images; %s%n", train.size(), o.testImages(), o.arch());
        RobustExperiment.Images test = null; // read for the first evaluation: training holds no test images
        List<NetworkResult> results = new ArrayList<>();
        for (NetworkKind kind : o.networks()) {
            Path dir = o.out().resolve(kind.key());
            if (o.fresh()) {
                discardCheckpoint(dir);
                Files.deleteIfExists(dir.resolve(RobustOnSpark.CHECKPOINT_FILE));
            }
            RobustNetworks.Network net = RobustNetworks.build(kind, o.arch(), FashionMnist.NUM_CLASSES);
            log.printf("%n== %s: %d parameters, checkpoints in %s%n", kind.label(), net.model().parameterCount(), dir);
            RobustExperiment.TrainingOutcome t = spark == null
                    ? RobustExperiment.train(net, o.arch(), train, o.settingsFor(kind), dir, o.progress(),
                            o.traceEvery())
                    : spark.train(net, o.arch(), train, o.settingsFor(kind), dir);
            if (t.epochsBefore() > 0) {
                log.printf("resumed from the checkpoint after epoch %d%n", t.epochsBefore());
            }
            for (var e : t.epochs()) {
                log.printf(Locale.ROOT, "epoch %d: loss %.4f (lr %.4g)%n", e.epoch() + 1, e.loss(), e.metrics().get("lr"));
            }
            log.printf(Locale.ROOT, "trained %d epoch(s) in %.1f s; evaluating on %d images…%n", t.epochs().size(),
                    t.seconds(), o.testImages());
            if (test == null) {
                test = RobustExperiment.testSet(data, o.testImages(), o.arch().type());
            }
            RobustExperiment.Evaluation ev = spark == null
                    ? RobustExperiment.evaluate(net, test, o.epsilons(), o.attackBatch(), o.settings().seed())
                    : spark.evaluate(net, o.arch(), o.settingsFor(kind), test, o.epsilons(), o.attackBatch(),
                            o.settings().seed());
            log.printf(Locale.ROOT, "clean %.4f, Lipschitz bound %.4g, AUC %.4f (paper step) / %.4f (strong step), "
                            + "certified AUC %.4f; evaluation %.1f s%n", ev.paper().cleanAccuracy(), ev.lipschitz(),
                    ev.paper().robustAuc(), ev.strong().robustAuc(), ev.paper().certifiedAuc(), ev.seconds());
            results.add(new NetworkResult(kind, net.model().parameterCount(), t, ev,
                    kind == NetworkKind.FLEXIBLE || kind == NetworkKind.PRESCRIBED ? net.learnedSteps() : null));
        }
        return results;
    }
}
