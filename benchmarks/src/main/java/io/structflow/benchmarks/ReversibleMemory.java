package io.structflow.benchmarks;

import io.structflow.core.Backend;
import io.structflow.core.autodiff.ArrayMemory;
import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Intermediates;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Checkpointed;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Sequential;
import io.structflow.core.optim.Adam;
import io.structflow.core.train.CompiledStep;
import io.structflow.layers.Invertible;
import io.structflow.layers.Property;
import io.structflow.layers.Structured;
import io.structflow.layers.blocks.ReversibleChain;
import io.structflow.layers.blocks.SympNet;
import io.structflow.layers.blocks.SympNetModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Peak memory and time of one training step (forward, MSE, backward, Adam) of a G-SympNet of L
 * gradient modules (d = 1, width 8, tanh, float32, batch 256), trained ordinarily (a
 * {@link Sequential}), by reversible backpropagation ({@link ReversibleChain}) or with gradient
 * checkpointing every ⌈√L⌉ modules ({@link Checkpointed}). One configuration per JVM; prints one
 * JSON line.
 *
 * <p>Memory, two figures of the measured steps: {@code array_peak_kb}, the high-water mark of the
 * native memory held by tensor-operation results ({@link ArrayMemory}, exact, no sampling) above
 * its value before the steps; and {@code step_peak_kb}, the growth of the process's resident set:
 * after two warm-up steps on a batch of two samples (code loaded and compiled, optimiser state
 * allocated, little memory touched) and a garbage collection, the high-water mark is reset
 * (writing 5 to {@code /proc/self/clear_refs}); {@code VmHWM} after the steps minus {@code VmRSS}
 * at the reset is the steps' peak. Run it with a heap fixed and pre-touched ({@code -Xms = -Xmx},
 * {@code -XX:+AlwaysPreTouch}) so that the heap adds nothing. Each step runs forward and backward
 * in an {@link Intermediates} scope, as {@code Trainer} does, so intermediates are freed when dead,
 * not when the garbage collector runs. With {@code --collect} every module is also followed by an
 * identity operation that runs {@link System#gc()} when it is passed, forwards and backwards, so
 * that the peak is that of the memory a step keeps reachable (how this was measured before
 * intermediates were freed deterministically). Time is the median of the measured steps, after
 * one more warm-up step on the full batch (not with {@code --collect}). With {@code --compiled} the
 * steps go through a {@link CompiledStep}: the full-batch warm-up step records, the measured steps
 * replay; {@code array_held_kb} is the tensor-result memory still in use after the steps above its
 * value before the warm-up, which for a compiled step is what its recordings hold.
 *
 * <pre>
 *   java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *       io.structflow.benchmarks.ReversibleMemory --mode reversible --depth 1000 --steps 5
 * </pre>
 */
@Command(name = "ReversibleMemory", mixinStandardHelpOptions = true,
        description = "Peak memory and time of a deep SympNet's training step: ordinary, reversible, checkpointed.")
public final class ReversibleMemory implements Callable<Integer> {
    private static final int BATCH = 256;
    private static final int WIDTH = 8;

    @Option(names = "--mode", required = true, description = "ordinary, reversible or checkpointed")
    private String mode;

    @Option(names = "--depth", required = true, description = "gradient modules L")
    private int depth;

    @Option(names = "--steps", defaultValue = "5", description = "measured steps (default ${DEFAULT-VALUE})")
    private int steps;

    @Option(names = "--collect", description = "collect garbage after every module, forwards and backwards")
    private boolean collect;

    @Option(names = "--compiled", description = "run the steps through a CompiledStep (recorded once, replayed)")
    private boolean compiled;

    private CompiledStep compiledStep;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReversibleMemory()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (depth < 1 || steps < 1) {
            throw new IllegalArgumentException("--depth and --steps: expected ≥ 1 but got " + depth + " and " + steps);
        }
        Backend.init();
        List<Module> layers = new ArrayList<>();
        for (SympNetModule m : SympNet.gradient(1, depth, WIDTH, Activation.tanh(), 1, DataType.FLOAT).modules()) {
            layers.add(collect ? new Collected(m) : m);
        }
        Module model = switch (mode) {
            case "ordinary" -> new Sequential(layers.toArray(new Module[0]));
            case "reversible" -> new ReversibleChain(layers);
            case "checkpointed" -> new Checkpointed(new Sequential(layers.toArray(new Module[0])),
                    (int) Math.ceil(Math.sqrt(depth)));
            default -> throw new IllegalArgumentException("--mode: expected ordinary, reversible or checkpointed but got "
                    + mode);
        };
        SplittableRandom rng = new SplittableRandom(2);
        Tensor x = Tensor.randn(DataType.FLOAT, rng, BATCH, 2);
        Tensor y = Tensor.randn(DataType.FLOAT, rng, BATCH, 2);
        Adam adam = new Adam(model, Adam.Config.defaults(1e-4));
        compiledStep = compiled ? new CompiledStep(model, (m, b) -> Losses.mse(m.forward(b.x()), b.y())) : null;
        long heldBefore = ArrayMemory.bytesInUse();
        // warm-up on two samples: code compiled and loaded, optimiser state allocated, little memory touched
        for (int s = 0; s < 2; s++) {
            step(model, adam, x.slice(0, 0, 2), y.slice(0, 0, 2));
        }
        if (!collect) {
            step(model, adam, x, y);
        }
        System.gc();
        Thread.sleep(200);
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        long baseline = ProcessMemory.residentKilobytes();
        ArrayMemory.resetPeak();
        double[] millis = new double[steps];
        for (int s = 0; s < steps; s++) {
            long start = System.nanoTime();
            step(model, adam, x, y);
            millis[s] = (System.nanoTime() - start) / 1e6;
        }
        long peak = ProcessMemory.peakResidentKilobytes();
        long arraysPeak = ArrayMemory.peakBytes();
        long held = ArrayMemory.bytesInUse() - heldBefore;
        Arrays.sort(millis);
        System.out.printf("{\"mode\": \"%s\", \"depth\": %d, \"collect\": %b, \"compiled\": %b, \"baseline_rss_kb\": %d,"
                        + " \"peak_rss_kb\": %d, \"step_peak_kb\": %d, \"array_peak_kb\": %.1f, \"array_held_kb\": %.1f,"
                        + " \"median_step_ms\": %.1f}%n", mode, depth, collect, compiled, baseline, peak, peak - baseline,
                arraysPeak / 1024.0, held / 1024.0, millis[steps / 2]);
        return 0;
    }

    /** One training step as {@code Trainer} runs it: forward and backward in an {@link Intermediates} scope, or replayed. */
    private void step(Module model, Adam adam, Tensor x, Tensor y) {
        if (compiledStep != null) {
            compiledStep.run(new Batch(x, y, null));
        } else {
            model.zeroGrad();
            try (Intermediates scope = Intermediates.open()) {
                Autograd.backward(Losses.mse(model.forward(x), y));
            }
        }
        adam.step();
    }

    /** A module followed by an identity operation that collects garbage when passed, forwards and backwards. */
    private static final class Collected extends Module implements Invertible, Structured {
        private final SympNetModule inner;

        Collected(SympNetModule inner) {
            this.inner = register("inner", inner);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = inner.forward(x);
            System.gc();
            return Tensor.fromOp("collect", out.value(), g -> {
                System.gc();
                return new Tensor[] {g};
            }, out);
        }

        @Override
        public Tensor inverse(Tensor y) {
            return inner.inverse(y);
        }

        @Override
        public Set<Property> properties() {
            return inner.properties();
        }
    }
}
