package io.structflow.spark;

import io.structflow.core.data.Dataset;
import io.structflow.robustness.PgdL2;
import io.structflow.robustness.RobustnessEvaluator;
import io.structflow.robustness.RobustnessReport;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Clean, PGD-robust and certified accuracy ({@link RobustnessEvaluator}, [CMOSS] §3.3) of a
 * model over a test set split across executors, equal to the same evaluation on one machine.
 *
 * <p>The test set is cut into chunks of one attack batch {@code B}; chunk {@code c} is evaluated
 * on its own with the attack's random starts seeded by {@code (seed, c)} (SplitMix64), so an
 * image meets the same attack wherever its chunk runs, and the partitions hold whole chunks.
 * Clean and certified accuracy involve no randomness and equal {@link RobustnessEvaluator} over
 * the whole set with batch {@code B}; robust accuracy equals {@link #evaluateLocally} (the same
 * per-chunk seeds on one machine) exactly and the whole-set evaluator's up to which random start
 * each image draws. Fractions are merged as integer counts.
 */
public final class DistributedEvaluation {
    private DistributedEvaluation() {
    }

    /**
     * What to evaluate.
     *
     * @param problem    builds the model (its loss and optimiser are not used)
     * @param parameters the model's flat parameters ({@code double[d]}, model order)
     * @param attack     the attack; its seed seeds the chunks'
     * @param batchSize  images per chunk and attack batch, ≥ 1
     * @param epsilons   radii, strictly increasing, ≥ 0
     * @param lipschitz  upper bound of the model's Lipschitz constant for the certificates (+∞: none)
     */
    public record Job(TrainingProblem problem, double[] parameters, PgdL2.Config attack, int batchSize,
                      double[] epsilons, double lipschitz) {
        /** Validates the batch size. */
        public Job {
            if (batchSize < 1) {
                throw new IllegalArgumentException("DistributedEvaluation: batchSize expected ≥ 1 but got " + batchSize);
            }
        }
    }

    /**
     * Evaluates {@code job} on {@code test} split into {@code partitions} shards of whole chunks.
     *
     * @throws IllegalArgumentException naming {@code partitions} if there are fewer chunks, or the
     *         problem if it cannot be serialised
     * @throws IllegalStateException naming both versions if an executor runs another structflow
     */
    public static RobustnessReport evaluate(JavaSparkContext sc, Job job, Dataset test, int partitions) {
        SerializationCheck.require("problem", job.problem());
        String version = StructflowVersion.current();
        StructflowVersion.requireOnExecutors(sc, version);
        String run = UUID.randomUUID().toString();
        EvaluationTask task = new EvaluationTask(new RunOnExecutor(run, job.problem(), version,
                FaultInjection.failFirstAttempt(sc.getConf())), job.parameters(), job.attack(), job.batchSize(),
                job.epsilons(), job.lipschitz());
        try (PartitionedData data = PartitionedData.of(sc, test, partitions, job.batchSize())) {
            List<EvaluationTask.Counts> parts = Jobs.call(() -> data.shards().map(task).collect());
            EvaluationTask.Counts total = EvaluationTask.Counts.zero(job.epsilons().length);
            for (EvaluationTask.Counts c : parts) {
                total = total.plus(c);
            }
            return total.report(job.epsilons(), job.lipschitz(), job.attack());
        } finally {
            ReplicaPool.release(run);
        }
    }

    /** The same evaluation on this machine alone, chunk by chunk with the same seeds. */
    public static RobustnessReport evaluateLocally(Job job, Dataset test) {
        String run = UUID.randomUUID().toString();
        EvaluationTask task = new EvaluationTask(new RunOnExecutor(run, job.problem(), StructflowVersion.current(),
                false), job.parameters(), job.attack(), job.batchSize(), job.epsilons(), job.lipschitz());
        try {
            return task.call(ExampleShard.of(test, 0, 0, test.size())).report(job.epsilons(), job.lipschitz(),
                    job.attack());
        } finally {
            ReplicaPool.release(run);
        }
    }
}
