package io.structflow.benchmarks;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.FusedGradientFlow;
import io.structflow.core.autodiff.Intermediates;
import io.structflow.core.autodiff.Replay;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
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
 * The convolutional gradient-flow layer {@code x − h·Kᵀσ(Kx + b)} at batch 64, 32 channels,
 * 28×28, 3×3 kernel ([CMOSS] §3.3 building block), forward and forward + backward (cases
 * {@code conv_flow_layer_fwd}, {@code conv_flow_layer_fwd_bwd}); eager, each call in an
 * {@link Intermediates} scope as {@code Trainer} runs an eager step (its arrays are freed when the
 * call ends, not when the garbage collector finds them), or recorded once and replayed
 * ({@link Replay}) as a compiled training step runs it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxphysicalbytes=8G"})
public class ConvGradientFlowBenchmark {
    private Tensor x;
    private Tensor k;
    private Tensor b;
    private Tensor h;
    private final Activation sigma = Activation.leakyRelu(0.5);
    private Replay forwardReplay;
    private Replay forwardBackwardReplay;

    @Param({"eager", "replay"})
    public String mode;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        x = Tensor.variable(Tensor.randn(DataType.FLOAT, r, 64, 32, 28, 28).value());
        k = Tensor.variable(Tensor.randn(DataType.FLOAT, r, 32, 32, 3, 3).div(17).value());
        b = Tensor.variable(Tensor.randn(DataType.FLOAT, r, 32).value());
        h = Tensor.variable(Tensor.scalar(0.1, DataType.FLOAT).value());
        if (mode.equals("replay")) {
            forwardReplay = Replay.record(this::forward).replay();
            forwardBackwardReplay = Replay.record(this::forwardBackward).replay();
        }
    }

    private Tensor forward() {
        return FusedGradientFlow.conv(x.detach(), k.detach(), b.detach(), h.detach(), -1, sigma);
    }

    private Tensor[] forwardBackward() {
        Tensor y = FusedGradientFlow.conv(x, k, b, h, -1, sigma);
        return Autograd.grad(y.sum(), false, x, k, b, h);
    }

    @Benchmark
    public Object conv_flow_layer_fwd() {
        if (forwardReplay != null) {
            forwardReplay.run();
            return forwardReplay;
        }
        try (Intermediates scope = Intermediates.open()) {
            return forward().shape();
        }
    }

    @Benchmark
    public Object conv_flow_layer_fwd_bwd() {
        if (forwardBackwardReplay != null) {
            forwardBackwardReplay.run();
            return forwardBackwardReplay;
        }
        try (Intermediates scope = Intermediates.open()) {
            return forwardBackward()[1].shape();
        }
    }
}
