package io.structflow.benchmarks;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.FusedGradientFlow;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The convolutional gradient-flow layer {@code x − h·Kᵀσ(Kx + b)} at batch 64, 32 channels,
 * 28×28, 3×3 kernel ([CMOSS] §3.3 building block), forward + backward (case
 * {@code conv_flow_layer_fwd_bwd}).
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

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        x = Tensor.variable(Tensor.randn(DataType.FLOAT, r, 64, 32, 28, 28).value());
        k = Tensor.variable(Tensor.randn(DataType.FLOAT, r, 32, 32, 3, 3).div(17).value());
        b = Tensor.variable(Tensor.randn(DataType.FLOAT, r, 32).value());
        h = Tensor.variable(Tensor.scalar(0.1, DataType.FLOAT).value());
    }

    @Benchmark
    public Tensor conv_flow_layer_fwd() {
        return FusedGradientFlow.conv(x.detach(), k.detach(), b.detach(), h.detach(), -1, sigma);
    }

    @Benchmark
    public Tensor[] conv_flow_layer_fwd_bwd() {
        Tensor y = FusedGradientFlow.conv(x, k, b, h, -1, sigma);
        return Autograd.grad(y.sum(), false, x, k, b, h);
    }
}
