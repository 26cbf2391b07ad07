package io.structflow.benchmarks;

import io.structflow.core.Backend;
import io.structflow.core.train.CompiledStep;
import java.util.Arrays;

/**
 * The share of an example network's training step spent in constraint projection ([CMOSS] §3.1:
 * projected gradient descent), timed inside a run of {@code steps} replayed training steps:
 * per step, the forward/backward ({@link CompiledStep}) with the optimiser's update, then the
 * projections ({@code Optimizer.projectParameters()}) on their own. Prints one JSON line with the
 * medians (µs) and the share of the projections in the whole step.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.structflow.benchmarks.ProjectionShare planar 500
 *   java -Xmx3g -cp benchmarks/target/benchmarks.jar io.structflow.benchmarks.ProjectionShare fmnist 100
 * </pre>
 * The first tenth of the steps (at least 5) warm up and are not counted.
 */
public final class ProjectionShare {
    private ProjectionShare() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("usage: ProjectionShare <network: one of " + ExampleTraining.NETWORKS
                    + "> [steps ≥ 10, default 200]; got " + Arrays.toString(args));
        }
        int steps = args.length == 2 ? Integer.parseInt(args[1]) : 200;
        if (steps < 10) {
            throw new IllegalArgumentException("steps: expected ≥ 10 but got " + steps);
        }
        Backend.init();
        ExampleTraining.Setup setup = ExampleTraining.of(args[0], 1);
        CompiledStep compiled = new CompiledStep(setup.model(), setup.loss());
        int warmUp = Math.max(5, steps / 10);
        double[] update = new double[steps - warmUp];
        double[] project = new double[steps - warmUp];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            compiled.run(setup.batch());
            setup.optimizer().updateParameters();
            long t1 = System.nanoTime();
            setup.optimizer().projectParameters();
            long t2 = System.nanoTime();
            if (i >= warmUp) {
                update[i - warmUp] = (t1 - t0) / 1e3;
                project[i - warmUp] = (t2 - t1) / 1e3;
            }
        }
        double u = median(update);
        double p = median(project);
        System.out.printf("{\"network\": \"%s\", \"steps\": %d, \"replayed\": %s, \"forward_backward_update_us\": %.1f,"
                + " \"projection_us\": %.1f, \"projection_share\": %.4f}%n", args[0], steps - warmUp,
                compiled.isReplaying(), u, p, p / (u + p));
        if (!compiled.isReplaying()) {
            System.err.println("ProjectionShare: the step ran eagerly: " + compiled.eagerReason());
        }
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
