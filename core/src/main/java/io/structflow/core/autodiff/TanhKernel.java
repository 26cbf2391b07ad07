package io.structflow.core.autodiff;

import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_tanh;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_tanh_use_dst_for_bwd;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code y = tanh z} and its backward {@code g ⊙ (1 − tanh² z)}, from z or from y, as replayable
 * kernels.
 *
 * <p>Float32 runs on oneDNN's eltwise primitives ({@code eltwise_tanh}, backward from the source z,
 * and {@code eltwise_tanh_use_dst_for_bwd}, backward from the result y), which are vectorised and
 * accurate to 2ε relative; libnd4j's float32 {@code tanh} is a scalar loop many times slower and
 * accurate only to a few ε absolute, so that near 0 its relative error grows as ε/|z|
 * ({@code docs/performance.md}); see {@link OneDnnEltwise} for how arrays are handed over. Float64
 * (oneDNN has no f64 eltwise) runs on libnd4j's {@code tanh} and {@code tanh_bp}.
 */
public final class TanhKernel implements Kernel {
    /** What a kernel computes. */
    private enum Mode { FORWARD, BACKWARD, BACKWARD_FROM_OUTPUT }

    private final Mode mode;
    private final NativeKernel libnd4j;
    private final OneDnnEltwise oneDnn;

    private TanhKernel(Mode mode) {
        this.mode = mode;
        this.libnd4j = switch (mode) {
            case FORWARD -> NativeKernel.of("tanh");
            case BACKWARD -> NativeKernel.of("tanh_bp");
            case BACKWARD_FROM_OUTPUT -> null;
        };
        this.oneDnn = switch (mode) {
            case FORWARD -> OneDnnEltwise.forward(dnnl_eltwise_tanh, 0f);
            case BACKWARD -> OneDnnEltwise.backward(dnnl_eltwise_tanh, 0f, false);
            case BACKWARD_FROM_OUTPUT -> OneDnnEltwise.backward(dnnl_eltwise_tanh_use_dst_for_bwd, 0f, true);
        };
    }

    /** tanh: inputs {z}, output {tanh z}. */
    public static TanhKernel forward() {
        return new TanhKernel(Mode.FORWARD);
    }

    /** The backward of tanh from its argument: inputs {z, g}, output {g ⊙ (1 − tanh² z)}. */
    public static TanhKernel backward() {
        return new TanhKernel(Mode.BACKWARD);
    }

    /** The backward of tanh from its result, float32 only: inputs {y, g}, output {g ⊙ (1 − y²)}. */
    public static TanhKernel backwardFromOutput() {
        return new TanhKernel(Mode.BACKWARD_FROM_OUTPUT);
    }

    @Override
    public void run(INDArray[] in, INDArray[] out) {
        long n = out[0].length();
        DataType type = out[0].dataType();
        for (INDArray a : in) {
            if (a.dataType() != type || a.length() != n) {
                throw new IllegalArgumentException("tanh: inputs expected " + type + " of " + n + " elements but got "
                        + a.dataType() + " of " + a.length());
            }
        }
        if (type == DataType.DOUBLE && libnd4j != null) {
            libnd4j.run(in, out);
            return;
        }
        if (!OneDnnEltwise.accepts(in, out[0])) {
            throw new IllegalArgumentException("tanh (" + mode + "): out expected a contiguous FLOAT array"
                    + (libnd4j != null ? " or DOUBLE" : "") + " but got " + type + " with strides "
                    + Arrays.toString(out[0].stride()));
        }
        oneDnn.run(in, out[0]);
    }
}
