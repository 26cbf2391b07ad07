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

    private final RunOnExecutor run;
    private final double[] parameters;
    private final int[] batch;

    /**
     * @param run        the training run
     * @param parameters the current flat parameters
     * @param batch      global indices of the rows of the global batch, in batch order
     */
    GradientTask(RunOnExecutor run, double[] parameters, int[] batch) {
        this.run = run;
        this.parameters = parameters;
        this.batch = batch;
    }

    @Override
    public GradientSum call(ExampleShard shard) {
        long t0 = System.nanoTime();
        int[] local = shard.localIndices(batch);
        ReplicaPool.Worker worker = run.start();
        try {
            if (local.length == 0) {
                return GradientSum.zero(parameters.length);
            }
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
            run.finish(worker);
        }
    }
}
