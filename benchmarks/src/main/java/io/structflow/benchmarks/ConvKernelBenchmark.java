package io.structflow.benchmarks;

import io.structflow.core.Backend;
import io.structflow.core.autodiff.NativeKernel;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * One libnd4j convolution kernel on a prepared native context (as a replayed training step runs
 * it, oneDNN helpers on), at the three stages of the Fashion-MNIST networks of [CMOSS] §3.3:
 * batch 64, C → C channels, 3×3 "same" kernel, on {@code side × side} images (8 on 28×28, 16 on
 * 14×14, 32 on 7×7). {@code conv2d} and {@code deconv2d} are the forward convolution and its
 * transpose; {@code conv2d_bp} and {@code deconv2d_bp} are their backward ops, each of which
 * computes both the image gradient and the weight gradient — there is no weight-gradient-only op,
 * which is why a backward rule asks one op for both gradients when both are wanted.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class ConvKernelBenchmark {
    @Param({"conv2d", "deconv2d", "conv2d_bp", "deconv2d_bp"})
    public String op;

    @Param({"8", "16", "32"})
    public int channels;

    private NativeKernel kernel;
    private INDArray[] in;
    private INDArray[] out;

    @Setup
    public void setUp() {
        Backend.init();
        long side = 28 * 8 / channels;
        long[] image = {64, channels, side, side};
        INDArray x = Nd4j.rand(DataType.FLOAT, image);
        INDArray g = Nd4j.rand(DataType.FLOAT, image);
        INDArray w = Nd4j.rand(DataType.FLOAT, channels, channels, 3, 3).subi(0.5);
        kernel = NativeKernel.of(op, new double[0], new long[] {3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1});
        in = switch (op) {
            case "conv2d", "deconv2d" -> new INDArray[] {x, w};
            default -> new INDArray[] {x, w, g};
        };
        out = op.endsWith("_bp") ? new INDArray[] {Nd4j.create(DataType.FLOAT, image), Nd4j.create(DataType.FLOAT, w.shape())}
                : new INDArray[] {Nd4j.create(DataType.FLOAT, image)};
        run();
    }

    @Benchmark
    public INDArray run() {
        Backend.withHelpers(() -> {
            kernel.run(in, out);
            return null;
        });
        return out[0];
    }
}
