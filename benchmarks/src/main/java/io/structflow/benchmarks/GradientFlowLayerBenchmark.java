package io.structflow.benchmarks;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.FusedGradientFlow;
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
 * One gradient-flow step {@code x − h·Aᵀσ(Ax + b)} ([CMOSS] (3.5)), forward + backward with
 * respect to x, A, b and h: the fused op against the same step composed from single ops, eager
 * and recorded once then replayed ({@link Replay}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class GradientFlowLayerBenchmark {
    @Param({"8", "128"})
    public int width;

    private Tensor x;
    private Tensor a;
    private Tensor b;
    private Tensor h;
    private final Activation sigma = Activation.leakyRelu(0.5);

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        x = Tensor.variable(Tensor.randn(DataType.FLOAT, r, 256, width).value());
        a = Tensor.variable(Tensor.randn(DataType.FLOAT, r, width, width).div(Math.sqrt(width)).value());
        b = Tensor.variable(Tensor.randn(DataType.FLOAT, r, width).value());
        h = Tensor.variable(Tensor.scalar(0.1, DataType.FLOAT).value());
        record();
    }

    private Replay fusedReplay;
    private Replay composedReplay;

    /** The same forward + backward recorded once, for the replayed variants. */
    private void record() {
        fusedReplay = Replay.record(this::dense_fused_fwd_bwd).replay();
        composedReplay = Replay.record(this::dense_composed_fwd_bwd).replay();
    }

    @Benchmark
    public void dense_fused_fwd_bwd_replay() {
        fusedReplay.run();
    }

    @Benchmark
    public void dense_composed_fwd_bwd_replay() {
        composedReplay.run();
    }

    @Benchmark
    public Tensor[] dense_fused_fwd_bwd() {
        Tensor y = FusedGradientFlow.dense(x, a, b, h, -1, sigma);
        return Autograd.grad(y.sum(), false, x, a, b, h);
    }

    @Benchmark
    public Tensor[] dense_composed_fwd_bwd() {
        Tensor y = FusedGradientFlow.composedDense(x, a, b, h, -1, sigma);
        return Autograd.grad(y.sum(), false, x, a, b, h);
    }
}
