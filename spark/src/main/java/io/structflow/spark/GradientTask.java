package io.structflow.spark;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Tensor;
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
        Replica replica = ReplicaPool.borrow(run, problem);
        try {
            List<Parameter> ps = replica.model().parameters();
            FlatParameters.setValues(ps, parameters);
            replica.model().zeroGrad();
            Tensor loss = replica.loss().loss(replica.model(), shard.batch(local));
            double value = loss.item();
            if (!Double.isFinite(value)) {
                throw new ArithmeticException("SyncDataParallel: loss is " + value + " on partition "
                        + shard.partition() + "; no parameter was changed by this step");
            }
            Autograd.backward(loss);
            double[] g = FlatParameters.gradients(ps);
            for (int i = 0; i < g.length; i++) {
                g[i] *= local.length;
            }
            return new GradientSum(g, value * local.length, local.length);
        } finally {
            ReplicaPool.giveBack(run, replica);
        }
    }
}
