package io.structflow.benchmarks;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.FusedGradientFlow;
import io.structflow.core.autodiff.Intermediates;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Lambda;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.core.optim.Adam;
import io.structflow.core.train.CompiledStep;
import io.structflow.core.train.LossFunction;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full training step (forward, cross-entropy, backward, Adam) at batch 256 of two core
 * networks: a 2-64-64-2 tanh MLP ({@code mlp_train_step}) and a 10-layer gradient-flow network
 * {@code x ↦ x − h·Aᵀσ(Ax + b)} of width 8 between a linear lift and head
 * ({@code gradflow10_train_step}); eager (in an {@link Intermediates} scope, as {@code Trainer} runs
 * it), or recorded once and replayed ({@link CompiledStep}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class CoreTrainingStepBenchmark {
    @Param({"mlp", "gradflow10"})
    public String network;

    @Param({"eager", "replay"})
    public String mode;

    private Module model;
    private Adam adam;
    private Batch batch;
    private CompiledStep compiled;
    private final LossFunction loss = (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels());

    /** Ten gradient-flow layers of width 8 between a linear lift and head. */
    static final class GradientFlowNetwork extends Module {
        private final Linear lift;
        private final Linear head;
        private final Parameter[] a = new Parameter[10];
        private final Parameter[] b = new Parameter[10];
        private final Parameter[] h = new Parameter[10];
        private final Activation sigma = Activation.leakyRelu(0.5);

        GradientFlowNetwork(SplittableRandom rng) {
            lift = register("lift", new Linear(2, 8, rng));
            for (int i = 0; i < 10; i++) {
                a[i] = register("A" + i, Parameter.of("A" + i, Init.orthogonal(DataType.FLOAT, rng, 8, 8)));
                b[i] = register("b" + i, Parameter.of("b" + i, Tensor.zeros(DataType.FLOAT, 8)));
                h[i] = register("h" + i, Parameter.of("h" + i, Tensor.scalar(0.1, DataType.FLOAT)));
            }
            head = register("head", new Linear(8, 2, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor z = lift.forward(x);
            for (int i = 0; i < 10; i++) {
                z = FusedGradientFlow.dense(z, a[i], b[i], h[i], -1, sigma);
            }
            return head.forward(z);
        }
    }

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(1);
        model = network.equals("mlp")
                ? new Sequential(new Linear(2, 64, rng), new Lambda("tanh", Tensor::tanh), new Linear(64, 64, rng),
                        new Lambda("tanh", Tensor::tanh), new Linear(64, 2, rng))
                : new GradientFlowNetwork(rng);
        adam = new Adam(model, Adam.Config.defaults(1e-3));
        Tensor x = Tensor.randn(DataType.FLOAT, rng, 256, 2);
        int[] labels = new int[256];
        double[] xs = x.toDoubleArray();
        for (int i = 0; i < 256; i++) {
            labels[i] = xs[2 * i] * xs[2 * i + 1] > 0 ? 1 : 0;
        }
        batch = new Batch(x, null, labels);
        compiled = new CompiledStep(model, loss);
    }

    @Benchmark
    public double train_step() {
        double value;
        if (mode.equals("replay")) {
            value = compiled.run(batch);
        } else {
            model.zeroGrad();
            try (Intermediates scope = Intermediates.open()) {   // as Trainer runs an eager step
                Tensor l = loss.loss(model, batch);
                Autograd.backward(l);
                value = l.value().getDouble(0);
            }
        }
        adam.step();
        return value;
    }
}
