package io.structflow.spark;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.robustness.PgdL2;
import io.structflow.robustness.RobustnessEvaluator;
import io.structflow.robustness.RobustnessReport;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.api.java.function.Function;

/**
 * Robustness of the model on the evaluation chunks of one shard: chunk {@code c} (the examples
 * {@code [cB, (c+1)B)}) is evaluated by {@link RobustnessEvaluator} with batch {@code B} and an
 * attack seeded by {@link #chunkSeed(long, int)}, wherever it runs.
 */
final class EvaluationTask implements Function<ExampleShard, EvaluationTask.Counts> {
    private static final long serialVersionUID = 1L;

    /**
     * Counts over some chunks.
     *
     * @param samples   examples evaluated
     * @param clean     correctly classified
     * @param robust    per radius, not broken by the attack
     * @param certified per radius, certified
     */
    record Counts(long samples, long clean, long[] robust, long[] certified) implements Serializable {
        static Counts zero(int radii) {
            return new Counts(0, 0, new long[radii], new long[radii]);
        }

        Counts plus(Counts o) {
            long[] r = robust.clone();
            long[] c = certified.clone();
            for (int k = 0; k < r.length; k++) {
                r[k] += o.robust[k];
                c[k] += o.certified[k];
            }
            return new Counts(samples + o.samples, clean + o.clean, r, c);
        }

        /** The counts of a report over {@code n} samples (its fractions are counts / n). */
        static Counts of(RobustnessReport report) {
            int n = report.samples();
            long[] r = new long[report.epsilons().length];
            long[] c = new long[r.length];
            for (int k = 0; k < r.length; k++) {
                r[k] = Math.round(report.robustAccuracy()[k] * n);
                c[k] = Math.round(report.certifiedAccuracy()[k] * n);
            }
            return new Counts(n, Math.round(report.cleanAccuracy() * n), r, c);
        }

        /** The report of these counts. */
        RobustnessReport report(double[] epsilons, double lipschitz, PgdL2.Config attack) {
            double[] r = new double[robust.length];
            double[] c = new double[robust.length];
            for (int k = 0; k < r.length; k++) {
                r[k] = robust[k] / (double) samples;
                c[k] = certified[k] / (double) samples;
            }
            return new RobustnessReport((int) samples, clean / (double) samples, epsilons, r, c, lipschitz, attack);
        }
    }

    private final RunOnExecutor run;
    private final double[] parameters;
    private final PgdL2.Config attack;
    private final int batchSize;
    private final double[] epsilons;
    private final double lipschitz;

    EvaluationTask(RunOnExecutor run, double[] parameters, PgdL2.Config attack, int batchSize, double[] epsilons,
                   double lipschitz) {
        this.run = run;
        this.parameters = parameters;
        this.attack = attack;
        this.batchSize = batchSize;
        this.epsilons = epsilons;
        this.lipschitz = lipschitz;
    }

    /** The attack seed of chunk {@code chunk}: one SplitMix64 step from the attack's seed and the chunk index. */
    static long chunkSeed(long seed, int chunk) {
        long z = seed + 0x9E3779B97F4A7C15L * (chunk + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public Counts call(ExampleShard shard) {
        ReplicaPool.Worker worker = run.start();
        Replica replica = worker.replica();
        try {
            FlatParameters.setValues(replica.model().parameters(), parameters);
            Counts total = Counts.zero(epsilons.length);
            for (int from = 0; from < shard.size(); from += batchSize) {
                int[] idx = new int[Math.min(batchSize, shard.size() - from)];
                int first = from;
                Arrays.setAll(idx, i -> first + i);
                Batch chunk = shard.batch(idx);
                int c = (shard.start() + from) / batchSize;
                RobustnessEvaluator evaluator = new RobustnessEvaluator(
                        new PgdL2(attack.withSeed(chunkSeed(attack.seed(), c))), batchSize);
                Tensor x = chunk.x();
                total = total.plus(Counts.of(evaluator.evaluate(replica.model(), x, chunk.labels(), epsilons,
                        lipschitz)));
            }
            return total;
        } finally {
            run.finish(worker);
        }
    }
}
