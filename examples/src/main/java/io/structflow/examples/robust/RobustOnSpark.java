package io.structflow.examples.robust;

import io.structflow.core.data.Dataset;
import io.structflow.core.optim.StepDecay;
import io.structflow.core.train.EpochResult;
import io.structflow.layers.blocks.Lipschitz;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.RobustNetworks;
import io.structflow.robustness.RobustnessReport;
import io.structflow.spark.DistributedEvaluation;
import io.structflow.spark.FlatParameters;
import io.structflow.spark.JobTiming;
import io.structflow.spark.LocalSgd;
import io.structflow.spark.Replica;
import io.structflow.spark.SyncDataParallel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Training and evaluation of the robustness networks on Spark ({@code robust --spark}): one
 * partition per executor slot; synchronous data-parallel SGD (the same steps as one machine) or,
 * with {@code --local-sgd k}, local SGD averaged every k steps; then clean, PGD and certified
 * accuracy over the partitioned test images ({@link DistributedEvaluation}: per-batch attack
 * seeds). The checkpoint is {@code <out>/<network>/spark-checkpoint.zip}, written every epoch.
 */
public final class RobustOnSpark implements AutoCloseable {
    /** The synchronous run's checkpoint in a network's run directory. */
    public static final String CHECKPOINT_FILE = "spark-checkpoint.zip";

    private final JavaSparkContext sc;
    private final int localSgdSteps;
    private final PrintStream log;

    /**
     * @param sc            the Spark context (closed with this object)
     * @param localSgdSteps k of local SGD, or 0 for synchronous data-parallel training
     * @param log           where progress lines go
     */
    public RobustOnSpark(JavaSparkContext sc, int localSgdSteps, PrintStream log) {
        if (localSgdSteps < 0) {
            throw new IllegalArgumentException("--local-sgd: expected ≥ 1 steps between averages (or none) but got "
                    + localSgdSteps);
        }
        this.sc = sc;
        this.localSgdSteps = localSgdSteps;
        this.log = log;
    }

    /** Partitions of the training and test data: one per executor slot. */
    public int partitions() {
        return sc.defaultParallelism();
    }

    /** Trains {@code network} on {@code train}; its model ends with the trained parameters. */
    public RobustExperiment.TrainingOutcome train(RobustNetworks.Network network, Architecture arch, Dataset train,
                                                  TrainingSettings settings, Path dir) throws IOException {
        RobustProblem problem = new RobustProblem(network.kind(), arch, settings);
        Replica driver = problem.replica(network);
        StepDecay schedule = new StepDecay(settings.learningRate(), settings.gamma(), settings.stepEpochs());
        long t0 = System.nanoTime();
        List<EpochResult> epochs;
        JobTiming timing;
        long bytes;
        String unit;
        if (localSgdSteps == 0) {
            try (SyncDataParallel dp = new SyncDataParallel(sc, problem, driver, train, new SyncDataParallel.Settings(
                    partitions(), settings.batchSize(), settings.epochs(), settings.seed(), schedule,
                    dir.resolve(CHECKPOINT_FILE).toAbsolutePath().toUri().toString()))) {
                epochs = dp.fit();
                timing = dp.timing();
                bytes = dp.payloadBytesPerStep();
                unit = "step";
            }
        } else {
            int localBatch = Math.max(1, settings.batchSize() / partitions());
            try (LocalSgd sgd = new LocalSgd(sc, problem, driver, train, partitions(), localSgdSteps, localBatch,
                    settings.seed())) {
                epochs = new ArrayList<>();
                for (int e = 0; e < settings.epochs(); e++) {
                    driver.optimizer().setLearningRate(schedule.rate(e));
                    double loss = 0;
                    for (int r = 0; r < sgd.roundsPerEpoch(); r++) {
                        loss += sgd.round().meanLoss();
                    }
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put("loss", loss / sgd.roundsPerEpoch());
                    metrics.put("lr", driver.optimizer().learningRate());
                    epochs.add(new EpochResult(e, (long) sgd.rounds() * localSgdSteps, metrics));
                }
                timing = sgd.timing();
                bytes = sgd.payloadBytesPerRound();
                unit = "round of " + localSgdSteps + " steps";
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.printf(Locale.ROOT, "spark: %d partitions, %d jobs in %.1f s: slowest task %.1f ms, Spark overhead %.1f ms,"
                        + " driver %.1f ms per %s; %d bytes of parameters%s per %s%n", partitions(), timing.jobs(),
                timing.jobSeconds(), 1e3 * timing.taskSeconds() / Math.max(1, timing.jobs()),
                1e3 * timing.overheadPerJob(), 1e3 * timing.driverSeconds() / Math.max(1, timing.jobs()), unit, bytes,
                localSgdSteps == 0 ? " and gradients" : " and optimiser state", unit);
        return new RobustExperiment.TrainingOutcome(0, epochs, seconds, false);
    }

    /**
     * Clean, robust (both attack steps) and certified accuracy of the trained {@code network}, in
     * chunks of {@code min(batchSize, ⌈N/P⌉)} images so that every executor slot gets work; an
     * image's attack seed depends on its chunk.
     */
    public RobustExperiment.Evaluation evaluate(RobustNetworks.Network network, Architecture arch,
                                                TrainingSettings settings, RobustExperiment.Images test,
                                                double[] epsilons, int batchSize, long seed) {
        long t0 = System.nanoTime();
        double lip = Lipschitz.bound(network.model());
        RobustProblem problem = new RobustProblem(network.kind(), arch, settings);
        double[] theta = FlatParameters.values(network.model().parameters());
        Dataset images = Dataset.classification("Fashion-MNIST test", test.x().value(), test.labels());
        int chunk = Math.min(batchSize, (images.size() + partitions() - 1) / partitions());
        int partitions = (images.size() + chunk - 1) / chunk;
        RobustnessReport paper = DistributedEvaluation.evaluate(sc, new DistributedEvaluation.Job(problem, theta,
                RobustExperiment.attack(RobustExperiment.PAPER_STEP, seed).config(), chunk, epsilons, lip), images,
                partitions);
        RobustnessReport strong = DistributedEvaluation.evaluate(sc, new DistributedEvaluation.Job(problem, theta,
                RobustExperiment.attack(RobustExperiment.STRONG_STEP, seed).config(), chunk, epsilons, lip), images,
                partitions);
        return new RobustExperiment.Evaluation(paper, strong, lip, (System.nanoTime() - t0) / 1e9);
    }

    /** Stops the Spark context. */
    @Override
    public void close() {
        sc.stop();
    }
}
