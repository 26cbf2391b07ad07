package io.structflow.benchmarks;

import io.structflow.core.Backend;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.NativeKernel;
import io.structflow.core.autodiff.OneDnnConvolution;
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
 * One convolution kernel as a replayed training step runs it, batch 64, C → C channels, 3×3
 * "same" kernel, at the three stages of the Fashion-MNIST networks of [CMOSS] §3.3 ({@code shape}
 * {@code 8x28}, {@code 16x14}, {@code 32x7}: channels × image side) and at the conv gradient-flow
 * benchmark's {@code 32x28}. libnd4j's ops on a prepared native context with oneDNN helpers on:
 * {@code conv2d} and {@code deconv2d} (the convolution and its transpose), {@code conv2d_bp} and
 * {@code deconv2d_bp} (their backward ops, each computing both the image and the weight gradient).
 * oneDNN's primitives called directly ({@link OneDnnConvolution}): {@code dnnl_forward},
 * {@code dnnl_transposed} (forward convolution with the flipped kernel) and
 * {@code dnnl_weight_gradient} (backward weights alone).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class ConvKernelBenchmark {
    @Param({"conv2d", "deconv2d", "conv2d_bp", "deconv2d_bp", "dnnl_forward", "dnnl_transposed", "dnnl_weight_gradient"})
    public String op;

    @Param({"8x28", "16x14", "32x7", "32x28"})
    public String shape;

    private Runnable kernel;
    private INDArray out;

    @Setup
    public void setUp() {
        Backend.init();
        String[] cs = shape.split("x");
        int channels = Integer.parseInt(cs[0]);
        long side = Long.parseLong(cs[1]);
        long[] image = {64, channels, side, side};
        INDArray x = Nd4j.rand(DataType.FLOAT, image);
        INDArray g = Nd4j.rand(DataType.FLOAT, image);
        INDArray w = Nd4j.rand(DataType.FLOAT, channels, channels, 3, 3).subi(0.5);
        INDArray gradWeight = Nd4j.create(DataType.FLOAT, w.shape());
        out = Nd4j.create(DataType.FLOAT, image);
        if (op.startsWith("dnnl_")) {
            OneDnnConvolution.Kind kind = OneDnnConvolution.Kind.valueOf(op.substring(5).toUpperCase());
            OneDnnConvolution direct = OneDnnConvolution.of(kind, ConvGeometry.same(3));
            kernel = switch (kind) {
                case FORWARD -> () -> direct.run(x, w, out);
                case TRANSPOSED -> () -> direct.run(g, w, out);
                case WEIGHT_GRADIENT -> () -> direct.run(x, g, gradWeight);
            };
        } else {
            NativeKernel k = NativeKernel.of(op, new double[0], new long[] {3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1}).withHelpers();
            INDArray[] in = op.endsWith("_bp") ? new INDArray[] {x, w, g} : new INDArray[] {x, w};
            INDArray[] outs = op.endsWith("_bp") ? new INDArray[] {out, gradWeight} : new INDArray[] {out};
            kernel = () -> Backend.withHelpers(() -> {
                k.run(in, outs);
                return null;
            });
        }
        run();
    }

    @Benchmark
    public INDArray run() {
        kernel.run();
        return out;
    }
}
