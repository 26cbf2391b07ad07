package io.structflow.spark;

import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.optim.LearningRateSchedule;
import io.structflow.core.train.Checkpoint;
import io.structflow.core.train.EpochResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Synchronous data-parallel training on Spark, equal to single-machine training up to the order
 * of floating-point sums. Each step of each epoch
 * <pre>
 *   B ← batch b of the permutation of (seed, epoch)            (as {@link DataLoader})
 *   executors:  g_p = Σ_{i ∈ B ∩ shard p} ∇ℓ_i(θ)               from the shipped flat θ
 *   driver:     g = (Σ_p g_p) / |B|   (summed in partition order);   θ ← P_C(θ − Δ(g, state))
 * </pre>
 * so the driver's optimiser takes exactly the step one machine would on the global batch
 * {@code B} and then applies every constraint's projection ([CMOSS] §3.1, projected gradient
 * descent); the executors never hold optimiser state. This is the data parallelism of Goyal et
 * al., <i>Accurate, Large Minibatch SGD</i> (2017). The driver sums the partitions' results in
 * partition order rather than as they arrive (Spark's {@code reduce}/{@code treeReduce} merge
 * in completion order), so a run, a retried task and a resumed run are bit-for-bit reproducible.
 *
 * <p>Per step the driver sends {@code 8d} bytes of parameters and the batch's indices to each
 * of the {@code P} partitions and receives {@code 8d} bytes of gradient sum from each
 * ({@link #payloadBytesPerStep()}); {@code d} is the number of parameters.
 *
 * <p><b>Checkpoints.</b> With a checkpoint location (any Hadoop file system path), the driver
 * writes parameters, optimiser state, constraint state and the data-order seed after every
 * epoch, atomically ({@link CheckpointStore}); {@link #fit()} resumes from it, and because the
 * batch order depends only on (seed, epoch) a resumed run ends with the parameters of an
 * uninterrupted one.
 */
public final class SyncDataParallel implements AutoCloseable {
    /**
     * The run's settings.
     *
     * @param partitions data partitions (tasks per step), 1 ≤ P ≤ number of examples
     * @param batchSize  rows of the global batch, ≥ 1
     * @param epochs     epochs {@link #fit()} trains to, ≥ 1
     * @param seed       seed of the batch order
     * @param schedule   learning rate per epoch, or null to keep the optimiser's
     * @param checkpoint Hadoop path of the checkpoint file, or null for none
     */
    public record Settings(int partitions, int batchSize, int epochs, long seed, LearningRateSchedule schedule,
                           String checkpoint) {
        /** Validates the counts. */
        public Settings {
            if (batchSize < 1) {
                throw new IllegalArgumentException("SyncDataParallel: batchSize expected ≥ 1 but got " + batchSize);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("SyncDataParallel: epochs expected ≥ 1 but got " + epochs);
            }
        }
    }

    private final Settings settings;
    private final Replica driver;
    private final PartitionedData data;
    private final DataLoader order;
    private final RunOnExecutor run;
    private final CheckpointStore checkpoint;
    private JobTiming timing = JobTiming.NONE;

    /**
     * Checks the problem, the executors' versions and the partition count, builds the driver's
     * replica and partitions and caches {@code train}.
     *
     * @throws IllegalArgumentException naming the problem if it cannot be serialised, or
     *         {@code partitions} if the data has fewer examples
     * @throws IllegalStateException naming both versions if an executor runs another structflow
     * @throws IOException if the checkpoint location cannot be used
     */
    public SyncDataParallel(JavaSparkContext sc, TrainingProblem problem, Dataset train, Settings settings)
            throws IOException {
        this(sc, problem, problem.build(), train, settings);
    }

    /**
     * As {@link #SyncDataParallel(JavaSparkContext, TrainingProblem, Dataset, Settings)}, training
     * {@code driver} — a replica the caller built with {@code problem} and keeps using (its model
     * holds the trained parameters).
     */
    public SyncDataParallel(JavaSparkContext sc, TrainingProblem problem, Replica driver, Dataset train,
                            Settings settings) throws IOException {
        SerializationCheck.require("problem", problem);
        this.settings = settings;
        this.driver = driver;
        this.order = new DataLoader(train, settings.batchSize(), true, settings.seed(), false);
        this.run = new RunOnExecutor(UUID.randomUUID().toString(), problem, StructflowVersion.current(),
                FaultInjection.failFirstAttempt(sc.getConf()));
        this.checkpoint = settings.checkpoint() == null ? null
                : new CheckpointStore(settings.checkpoint(), sc.hadoopConfiguration());
        StructflowVersion.requireOnExecutors(sc, run.version());
        this.data = PartitionedData.of(sc, train, settings.partitions());
    }

    /** The driver's model, loss and optimiser: the parameters being trained. */
    public Replica driver() {
        return driver;
    }

    /** Bytes of parameters and gradient sums moved per step: {@code P · (8d + 4B + 8d)}. */
    public long payloadBytesPerStep() {
        long d = FlatParameters.length(driver.model().parameters());
        return data.partitions() * (8 * d + 4L * settings.batchSize() + 8 * d);
    }

    /**
     * One synchronous step on the global batch of the examples {@code batch} (global indices):
     * gradient sums from the executors, then the driver's optimiser step and projections.
     *
     * @return the batch's mean loss
     * @throws ArithmeticException if a loss is not finite (no parameter is changed)
     */
    public double step(int[] batch) {
        long t0 = System.nanoTime();
        double[] theta = FlatParameters.values(driver.model().parameters());
        GradientTask task = new GradientTask(run, theta, batch);
        List<GradientSum> sums = Jobs.call(() -> data.shards().map(task).collect());
        long t1 = System.nanoTime();
        GradientSum total = sums.get(0);
        for (int p = 1; p < sums.size(); p++) {
            total = total.plus(sums.get(p));
        }
        double[] g = total.gradient();
        for (int i = 0; i < g.length; i++) {
            g[i] /= total.rows();
        }
        FlatParameters.setGradients(driver.model().parameters(), g);
        driver.optimizer().step();
        timing = timing.plus(t1 - t0, total.nanos(), System.nanoTime() - t1);
        return total.lossSum() / total.rows();
    }

    /** Where the steps' time went so far. */
    public JobTiming timing() {
        return timing;
    }

    /**
     * Trains up to {@link Settings#epochs()}, resuming from the checkpoint if there is one.
     *
     * @return the epochs trained by this call, with their mean loss and learning rate
     * @throws IOException if the checkpoint cannot be read or written
     * @throws IllegalArgumentException if the checkpoint was written with another seed or holds
     *         more epochs than asked for
     */
    public List<EpochResult> fit() throws IOException {
        int first = 0;
        long step = 0;
        if (checkpoint != null && checkpoint.exists()) {
            Checkpoint saved = checkpoint.load();
            Checkpoint.Progress p = saved.progress();
            if (p.loaderSeed() != settings.seed() || p.epoch() > settings.epochs()) {
                throw new IllegalArgumentException("checkpoint " + checkpoint.target() + ": expected seed "
                        + settings.seed() + " and at most " + settings.epochs() + " epoch(s) but holds seed "
                        + p.loaderSeed() + " after " + p.epoch() + " epoch(s)");
            }
            saved.restore(driver.model(), driver.optimizer());
            driver.optimizer().setLearningRate(p.learningRate());
            first = p.epoch();
            step = p.globalStep();
        }
        List<EpochResult> results = new ArrayList<>();
        for (int epoch = first; epoch < settings.epochs(); epoch++) {
            if (settings.schedule() != null) {
                driver.optimizer().setLearningRate(settings.schedule().rate(epoch));
            }
            int[] perm = order.order(epoch);
            double lossSum = 0;
            for (int b = 0; b < order.batchesPerEpoch(); b++) {
                int[] batch = Arrays.copyOfRange(perm, b * settings.batchSize(),
                        Math.min(perm.length, (b + 1) * settings.batchSize()));
                lossSum += step(batch) * batch.length;
                step++;
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", lossSum / perm.length);
            metrics.put("lr", driver.optimizer().learningRate());
            if (checkpoint != null) {
                checkpoint.save(driver.model(), driver.optimizer(), new Checkpoint.Progress(epoch + 1, 0, step,
                        settings.seed(), driver.optimizer().learningRate(), 0, 0, 0));
            }
            results.add(new EpochResult(epoch, step, metrics));
        }
        return results;
    }

    /** Drops the cached data and this run's executor replicas in this JVM. */
    @Override
    public void close() {
        data.close();
        ReplicaPool.release(run.run());
    }
}
