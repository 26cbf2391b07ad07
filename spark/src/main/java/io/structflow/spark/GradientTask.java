package io.structflow.spark;

import io.structflow.core.nn.Parameter;
import java.util.List;
import org.apache.spark.api.java.function.Function;

/**
 * The executor's half of one synchronous data-parallel step: from the driver's flat parameters,
 * the gradient sum of the rows of the global batch that live in this shard.
 */
final class GradientTask implements Function<ExampleShard, GradientSum> {
    private static final long serialVersionUID = 1L;

    private final String run;
    private final TrainingProblem problem;
    private final String version;
    private final boolean failFirstAttempt;
    private final double[] parameters;
    private final int[] batch;

    /**
     * @param run              the training run's key (for the executor's replica pool)
     * @param problem          how to build the model and its loss
     * @param version          the driver's structflow version
     * @param failFirstAttempt the {@link FaultInjection} switch
     * @param parameters       the current flat parameters
     * @param batch            global indices of the rows of the global batch, in batch order
     */
    GradientTask(String run, TrainingProblem problem, String version, boolean failFirstAttempt, double[] parameters,
                 int[] batch) {
        this.run = run;
        this.problem = problem;
        this.version = version;
        this.failFirstAttempt = failFirstAttempt;
        this.parameters = parameters;
        this.batch = batch;
    }

    @Override
    public GradientSum call(ExampleShard shard) {
        StructflowVersion.require(version);
        FaultInjection.maybeFail(failFirstAttempt);
        int[] local = shard.localIndices(batch);
        if (local.length == 0) {
            return GradientSum.zero(parameters.length);
        }
        long t0 = System.nanoTime();
        ReplicaPool.Worker worker = ReplicaPool.borrow(run, problem);
        try {
            List<Parameter> ps = worker.replica().model().parameters();
            FlatParameters.setValues(ps, parameters);
            double value;
            try {
                value = worker.lossAndGradients(shard.batch(local));
            } catch (ArithmeticException e) {
                throw new ArithmeticException("SyncDataParallel: " + e.getMessage() + " on partition "
                        + shard.partition() + "; no parameter was changed by this step");
            }
            double[] g = FlatParameters.gradients(ps);
            for (int i = 0; i < g.length; i++) {
                g[i] *= local.length;
            }
            return new GradientSum(g, value * local.length, local.length, System.nanoTime() - t0);
        } finally {
            ReplicaPool.giveBack(run, worker);
        }
    }
}
