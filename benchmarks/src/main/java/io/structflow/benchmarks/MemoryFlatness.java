package io.structflow.benchmarks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Module;
import io.structflow.core.optim.Adam;
import io.structflow.core.train.CompiledStep;
import io.structflow.core.train.LossFunction;
import java.io.IOException;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Off-heap memory over many training steps of the 10-layer gradient-flow network (width 8,
 * batch 256, Adam, replayed steps): prints, every {@code steps/10} steps, the process RSS, the
 * committed Java heap and their difference (native memory: ND4J buffers, JVM overhead), and
 * the change of that difference between the first and the last reading. Run with a fixed heap
 * so that heap growth does not show up as RSS growth:
 *
 * <pre>java -Xms512m -Xmx512m -cp benchmarks/target/benchmarks.jar io.structflow.benchmarks.MemoryFlatness [steps]</pre>
 */
public final class MemoryFlatness {
    private MemoryFlatness() {
    }

    /** @param args optional number of steps (default 100000) */
    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        SplittableRandom rng = new SplittableRandom(1);
        Module model = new CoreTrainingStepBenchmark.GradientFlowNetwork(rng);
        Adam adam = new Adam(model, Adam.Config.defaults(1e-3));
        Tensor x = Tensor.randn(DataType.FLOAT, rng, 256, 2);
        int[] labels = new int[256];
        double[] xs = x.toDoubleArray();
        for (int i = 0; i < 256; i++) {
            labels[i] = xs[2 * i] * xs[2 * i + 1] > 0 ? 1 : 0;
        }
        Batch batch = new Batch(x, null, labels);
        LossFunction loss = (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels());
        CompiledStep step = new CompiledStep(model, loss);
        long every = Math.max(1, steps / 10);
        long first = -1;
        long last = -1;
        long start = System.nanoTime();
        for (int i = 1; i <= steps; i++) {
            step.run(batch);
            adam.step();
            if (i % every == 0) {
                long rss = ProcessMemory.residentKilobytes();
                long heap = Runtime.getRuntime().totalMemory() / 1024;
                long offHeap = rss - heap;
                if (first < 0) {
                    first = offHeap;
                }
                last = offHeap;
                System.out.printf("step %7d  rss %8d kB  heap %8d kB  off-heap %8d kB  %.1f us/step%n", i, rss, heap, offHeap,
                        (System.nanoTime() - start) / 1e3 / i);
            }
        }
        System.out.printf("off-heap change from step %d to %d: %+.1f%% (replaying: %s)%n", every, steps,
                100.0 * (last - first) / first, step.isReplaying());
    }
}
