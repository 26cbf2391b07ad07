package io.structflow.spark;

import io.structflow.core.data.Dataset;
import io.structflow.core.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Local SGD (periodic parameter averaging) on Spark, for steps too short to pay a Spark job
 * each. Round {@code r}:
 * <pre>
 *   executor p:  (θ_p, s_p) ← k steps of  θ ← P_C(θ − Δ(∇L(batch from shard p), s))   from (θ, s)
 *   driver:      θ ← P_C( (1/P) Σ_p θ_p ),   s ← (1/P) Σ_p s_p
 * </pre>
 * with optimiser state {@code s} (momentum, Adam's moments and step counts) averaged like the
 * parameters (Stich, <i>Local SGD converges fast and communicates little</i>, ICLR 2019;
 * Lin et al., <i>Don't use large mini-batches, use local SGD</i>, ICLR 2020). The projection
 * {@code P_C} after averaging is what keeps structure: an average of orthogonal matrices is not
 * orthogonal, an average of step sizes inside a non-convex region need not be inside it; the
 * driver applies every constraint again, so the guarantees hold after every round.
 *
 * <p>With {@code P} partitions and a local batch of {@code b} rows, a round processes
 * {@code k·P·b} examples for {@code 2P} transfers of parameters and state.
 */
public final class LocalSgd implements AutoCloseable {
    /**
     * A round's outcome.
     *
     * @param meanLoss           mean batch loss over every replica's steps
     * @param violationAveraged  largest constraint violation of the averaged parameters before
     *                           the projection
     * @param violationProjected the same after the projection (0 when every set is reached)
     */
    public record Round(double meanLoss, double violationAveraged, double violationProjected) {
    }

    private final Replica driver;
    private final PartitionedData data;
    private final int stepsPerRound;
    private final int localBatch;
    private final long seed;
    private final RunOnExecutor run;
    private int rounds;
    private JobTiming timing = JobTiming.NONE;

    /**
     * @param partitions    replicas (one per partition), 1 ≤ P ≤ number of examples
     * @param stepsPerRound local steps k between averages, ≥ 1
     * @param localBatch    rows per local step, ≥ 1 (the global batch of one step is {@code P·localBatch})
     * @param seed          seed of the local batch orders
     * @throws IllegalArgumentException naming the argument, or the problem if it cannot be serialised
     * @throws IllegalStateException naming both versions if an executor runs another structflow
     */
    public LocalSgd(JavaSparkContext sc, TrainingProblem problem, Dataset train, int partitions, int stepsPerRound,
                    int localBatch, long seed) {
        this(sc, problem, problem.build(), train, partitions, stepsPerRound, localBatch, seed);
    }

    /**
     * As {@link #LocalSgd(JavaSparkContext, TrainingProblem, Dataset, int, int, int, long)},
     * averaging into {@code driver} — a replica the caller built with {@code problem} and keeps
     * using (its model holds the trained parameters).
     */
    public LocalSgd(JavaSparkContext sc, TrainingProblem problem, Replica driver, Dataset train, int partitions,
                    int stepsPerRound, int localBatch, long seed) {
        SerializationCheck.require("problem", problem);
        if (stepsPerRound < 1 || localBatch < 1) {
            throw new IllegalArgumentException("LocalSgd: stepsPerRound and localBatch expected ≥ 1 but got "
                    + stepsPerRound + " and " + localBatch);
        }
        this.driver = driver;
        this.stepsPerRound = stepsPerRound;
        this.localBatch = localBatch;
        this.seed = seed;
        this.run = new RunOnExecutor(UUID.randomUUID().toString(), problem, StructflowVersion.current(),
                FaultInjection.failFirstAttempt(sc.getConf()));
        StructflowVersion.requireOnExecutors(sc, run.version());
        this.data = PartitionedData.of(sc, train, partitions);
    }

    /** The driver's model, loss and optimiser: the averaged, projected parameters. */
    public Replica driver() {
        return driver;
    }

    /** Rounds done so far. */
    public int rounds() {
        return rounds;
    }

    /** Where the rounds' time went so far (one job per round). */
    public JobTiming timing() {
        return timing;
    }

    /** Rounds that process about one epoch of the data: {@code ⌈N / (k·P·b)⌉}. */
    public int roundsPerEpoch() {
        long perRound = (long) stepsPerRound * data.partitions() * localBatch;
        return (int) ((data.size() + perRound - 1) / perRound);
    }

    /** Bytes of parameters and optimiser state moved per round: {@code 2P · 8(d + |s|)}. */
    public long payloadBytesPerRound() {
        long d = FlatParameters.length(driver.model().parameters());
        long s = 0;
        for (var v : driver.optimizer().state().values()) {
            s += v.length();
        }
        return 2L * data.partitions() * 8 * (d + s);
    }

    /** One round: k local steps on every partition, then the average and the projections. */
    public Round round() {
        long t0 = System.nanoTime();
        LocalRoundTask task = new LocalRoundTask(run, FlatParameters.values(driver.model().parameters()),
                LocalRoundTask.fromNd4j(driver.optimizer().state()), driver.optimizer().learningRate(), seed, rounds,
                stepsPerRound, localBatch);
        List<LocalRoundTask.Result> replicas = Jobs.call(() -> data.shards().map(task).collect());
        long t1 = System.nanoTime();
        long slowest = 0;
        double[] mean = new double[replicas.get(0).parameters().length];
        double lossSum = 0;
        int steps = 0;
        for (LocalRoundTask.Result r : replicas) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += r.parameters()[i] / replicas.size();
            }
            lossSum += r.lossSum();
            slowest = Math.max(slowest, r.nanos());
            steps += r.steps();
        }
        List<Parameter> ps = driver.model().parameters();
        FlatParameters.setValues(ps, mean);
        driver.optimizer().loadState(LocalRoundTask.toNd4j(averageState(replicas)));
        double before = violation(ps);
        driver.optimizer().projectParameters();
        rounds++;
        timing = timing.plus(t1 - t0, slowest, System.nanoTime() - t1);
        return new Round(lossSum / steps, before, violation(ps));
    }

    /** The element-wise mean of the replicas' optimiser states (every replica has the same slots). */
    private static Map<String, FlatArray> averageState(List<LocalRoundTask.Result> replicas) {
        Map<String, FlatArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, FlatArray> e : replicas.get(0).state().entrySet()) {
            double[] sum = new double[e.getValue().length()];
            for (LocalRoundTask.Result r : replicas) {
                FlatArray a = r.state().get(e.getKey());
                if (a == null || a.length() != sum.length) {
                    throw new IllegalStateException("LocalSgd: optimiser state \"" + e.getKey() + "\" expected "
                            + e.getValue() + " on every replica but one has " + a);
                }
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += a.get(i) / replicas.size();
                }
            }
            out.put(e.getKey(), e.getValue().withValues(sum));
        }
        return out;
    }

    private static double violation(List<Parameter> ps) {
        double worst = 0;
        for (Parameter p : ps) {
            for (var c : p.constraints()) {
                worst = Math.max(worst, c.violation(p));
            }
        }
        return worst;
    }

    /** Drops the cached data and this run's executor replicas in this JVM. */
    @Override
    public void close() {
        data.close();
        ReplicaPool.release(run.run());
    }
}
