package io.structflow.core.autodiff;

import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Leaky ReLU {@code σ(z) = z (z > 0), a·z (z ≤ 0)} and its backward {@code g ⊙ σ'(z)},
 * {@code σ'(z) = 1 (z > 0), a (z ≤ 0)}, as replayable kernels, exact in both element types.
 *
 * <p>Float32 arrays run on oneDNN's {@code eltwise_relu} with α = a (forward and backward from z,
 * {@link OneDnnEltwise}): one product {@code a·z} forward and {@code g·a} backward, in float32, exactly
 * the roundings of the definition below. Float64, and float32 into a strided output, run as follows.
 *
 * <p>Built from libnd4j's vectorised elementwise operations rather than its {@code lrelu} and
 * {@code lrelu_bp}, which run a scalar loop (timings in {@code benchmarks/README.md}) and take
 * the slope in single precision (perturbing float64 results by ~1e-8 relative for slopes such as 0.2):
 * <ul>
 *   <li>forward: {@code σ(z) = max(z, a·z)} for {@code a ≤ 1}, {@code min(z, a·z)} for
 *       {@code a > 1} — the one product {@code a·z} is the only rounding, as in the definition;</li>
 *   <li>backward: {@code g ⊙ σ'(z)} with {@code σ'(z) = (m·(−a) + a) + m}, {@code m = [z > 0]}
 *       from a comparison — exactly 1 or a, so the product with g is the only rounding.</li>
 * </ul>
 * The slope is held in an array of the data's type. Work arrays and these constants are shared
 * per thread (by element type and shape, or value), so neither a replayed step nor repeated eager
 * calls allocate them again; the forward needs one work array, the backward three.
 */
public final class LeakyReluKernel implements Kernel {
    /**
     * Work arrays (by role, element type and shape) and constant scalars (by type and value) shared
     * by every kernel of this thread: a kernel uses the work arrays only inside one {@link #run},
     * kernels run one at a time per thread, and the constants are never written, so eager code (a
     * new kernel per call) allocates nothing here after its first call.
     */
    private static final ThreadLocal<Map<String, INDArray>> SHARED = ThreadLocal.withInitial(HashMap::new);

    private static INDArray work(String role, DataType type, long[] shape) {
        DataType t = role.equals("mask") ? DataType.BOOL : type;
        return SHARED.get().computeIfAbsent(role + ":" + type + ":" + Arrays.toString(shape),
                k -> Nd4j.createUninitialized(t, shape, 'c'));
    }

    private static INDArray constant(DataType type, double value) {
        return SHARED.get().computeIfAbsent("constant:" + type + ":" + value, k -> Nd4j.scalar(type, value));
    }

    private final double slope;
    private final boolean backward;
    private final NativeKernel[] steps;
    private final OneDnnEltwise oneDnn;
    private INDArray[] temps;

    private LeakyReluKernel(double slope, boolean backward) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("LeakyReluKernel: slope expected a finite number but got " + slope);
        }
        this.slope = slope;
        this.backward = backward;
        this.steps = backward
                ? new NativeKernel[] {NativeKernel.of("greater"), null, NativeKernel.of("multiply"),
                    NativeKernel.of("add"), NativeKernel.of("add"), NativeKernel.of("multiply")}
                : new NativeKernel[] {NativeKernel.of("multiply"), NativeKernel.of(slope <= 1 ? "maximum" : "minimum")};
        this.oneDnn = backward ? OneDnnEltwise.backward(dnnl_eltwise_relu, (float) slope, false)
                : OneDnnEltwise.forward(dnnl_eltwise_relu, (float) slope);
    }

    /** σ(z): inputs {z}, output {σ(z)}. */
    public static LeakyReluKernel forward(double slope) {
        return new LeakyReluKernel(slope, false);
    }

    /** g ⊙ σ'(z): inputs {z, g}, output {g ⊙ σ'(z)}. */
    public static LeakyReluKernel backward(double slope) {
        return new LeakyReluKernel(slope, true);
    }

    /** Runs now, recorded if a {@link Replay} is open. */
    public void exec(INDArray[] in, INDArray... out) {
        Replay.exec(this, in, out);
    }

    @Override
    public void run(INDArray[] in, INDArray[] out) {
        INDArray z = in[0];
        DataType type = z.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("leakyRelu: z expected FLOAT or DOUBLE but got " + type);
        }
        if (OneDnnEltwise.accepts(in, out[0])) {
            oneDnn.run(in, out[0]);
            return;
        }
        long[] shape = out[0].shape();
        if (temps == null || temps[0].dataType() != type || !Arrays.equals(temps[0].shape(), shape)) {
            if (backward) {
                steps[1] = NativeKernel.cast(type);
                temps = new INDArray[] {work("indicator", type, shape), work("mask", type, shape), constant(type, 0.0),
                    constant(type, -slope), constant(type, slope), work("derivative", type, shape)};
            } else {
                temps = new INDArray[] {work("scaled", type, shape), constant(type, slope)};
            }
        }
        if (!backward) {
            steps[0].run(new INDArray[] {z, temps[1]}, new INDArray[] {temps[0]});
            steps[1].run(new INDArray[] {z, temps[0]}, out);
            return;
        }
        // m = [z > 0]; σ' = (m·(−a) + a) + m: exactly 1 where m = 1 and exactly a where m = 0
        INDArray indicator = temps[0];
        INDArray derivative = temps[5];
        steps[0].run(new INDArray[] {z, temps[2]}, new INDArray[] {temps[1]});
        steps[1].run(new INDArray[] {temps[1]}, new INDArray[] {indicator});
        steps[2].run(new INDArray[] {indicator, temps[3]}, new INDArray[] {derivative});
        steps[3].run(new INDArray[] {derivative, temps[4]}, new INDArray[] {derivative});
        steps[4].run(new INDArray[] {derivative, indicator}, new INDArray[] {derivative});
        steps[5].run(new INDArray[] {derivative, in[1]}, out);
    }
}
