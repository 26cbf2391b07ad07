package io.structflow.core.autodiff;

import static io.structflow.core.autodiff.OneDnn.ENGINE;
import static io.structflow.core.autodiff.OneDnn.check;
import static io.structflow.core.autodiff.OneDnn.contiguous;
import static io.structflow.core.autodiff.OneDnn.desc;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_tanh;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_tanh_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code y = tanh z} and its backward {@code g ⊙ (1 − tanh² z)}, from z or from y, as replayable
 * kernels.
 *
 * <p>Float32 runs on oneDNN's eltwise primitives ({@code eltwise_tanh}, backward from the source z,
 * and {@code eltwise_tanh_use_dst_for_bwd}, backward from the result y), which are vectorised and
 * accurate to 2ε relative; libnd4j's float32 {@code tanh} is a scalar loop many times slower and
 * accurate only to a few ε absolute, so that near 0 its relative error grows as ε/|z|
 * ({@code docs/performance.md}). Strided float32 inputs are first copied into contiguous work
 * arrays the kernel keeps. Float64 (oneDNN has no f64 eltwise) runs on libnd4j's {@code tanh} and
 * {@code tanh_bp}. Primitives are made once per length and thread and reused; a run on the arrays
 * of the previous run allocates nothing.
 */
public final class TanhKernel implements Kernel {
    /** What a kernel computes, and the oneDNN algorithm and arguments it uses. */
    private enum Mode {
        FORWARD("tanh", dnnl_eltwise_tanh, DNNL_ARG_SRC, DNNL_ARG_DST),
        BACKWARD("tanh_bp", dnnl_eltwise_tanh, DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC),
        BACKWARD_FROM_OUTPUT(null, dnnl_eltwise_tanh_use_dst_for_bwd, DNNL_ARG_DST, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC);

        final String libnd4jOp;
        final int algorithm;
        final int[] keys;

        Mode(String libnd4jOp, int algorithm, int... keys) {
            this.libnd4jOp = libnd4jOp;
            this.algorithm = algorithm;
            this.keys = keys;
        }
    }

    private static final ThreadLocal<Map<List<Long>, Primitive>> THREAD = ThreadLocal.withInitial(HashMap::new);

    private final Mode mode;
    private final NativeKernel libnd4j;
    private final INDArray[] copies;
    private Thread owner;
    private Primitive primitive;

    private TanhKernel(Mode mode) {
        this.mode = mode;
        this.libnd4j = mode.libnd4jOp == null ? null : NativeKernel.of(mode.libnd4jOp);
        this.copies = new INDArray[mode.keys.length - 1];
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
        if (type != DataType.FLOAT || !contiguous(out[0])) {
            throw new IllegalArgumentException("tanh (" + mode + "): out expected a contiguous FLOAT array"
                    + (libnd4j != null ? " or DOUBLE" : "") + " but got " + type + " with strides "
                    + Arrays.toString(out[0].stride()));
        }
        if (owner != Thread.currentThread() || primitive.length != n) {
            primitive = THREAD.get().computeIfAbsent(List.of((long) mode.ordinal(), n), k -> new Primitive(mode, n));
            owner = Thread.currentThread();
        }
        primitive.run(contiguousInputs(in), out[0]);
    }

    /** The inputs, strided ones replaced by contiguous copies kept for the next run. */
    private INDArray[] contiguousInputs(INDArray[] in) {
        INDArray[] result = in;
        for (int i = 0; i < in.length; i++) {
            if (!contiguous(in[i])) {
                if (copies[i] == null || !Arrays.equals(copies[i].shape(), in[i].shape())) {
                    copies[i] = Nd4j.createUninitialized(DataType.FLOAT, in[i].shape(), 'c');
                }
                copies[i].assign(in[i]);
                result = result == in ? in.clone() : result;
                result[i] = copies[i];
            }
        }
        return result;
    }

    /** The eltwise primitive of one mode for one length, its arguments bound to the last arrays run on. */
    private static final class Primitive {
        final long length;
        private final dnnl_stream stream = OneDnn.stream();
        private final OneDnn.Bindings bindings;
        private final OneDnn.Step step;

        Primitive(Mode mode, long length) {
            this.length = length;
            dnnl_memory_desc_t md = desc(new long[] {length}, dnnl_a);
            dnnl_eltwise_desc_t forward = new dnnl_eltwise_desc_t();
            check(dnnl_eltwise_forward_desc_init(forward, dnnl_forward_training, mode.algorithm, md, 0f, 0f),
                    "tanh descriptor");
            dnnl_primitive_desc forwardPd = new dnnl_primitive_desc();
            check(dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(forward), null, ENGINE, null),
                    "tanh primitive descriptor");
            int[] keys = mode.keys;
            dnnl_memory[] memories = new dnnl_memory[keys.length];
            for (int i = 0; i < keys.length; i++) {
                memories[i] = new dnnl_memory();
                check(dnnl_memory_create(memories[i], md, ENGINE, null), "memory");
            }
            bindings = new OneDnn.Bindings(memories);
            dnnl_primitive_desc pd = forwardPd;
            if (mode != Mode.FORWARD) {
                dnnl_eltwise_desc_t bwd = new dnnl_eltwise_desc_t();
                check(dnnl_eltwise_backward_desc_init(bwd, mode.algorithm, md, md, 0f, 0f), "tanh backward descriptor");
                pd = new dnnl_primitive_desc();
                check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(bwd), null, ENGINE, forwardPd),
                        "tanh backward primitive descriptor");
            }
            step = OneDnn.step(pd, keys, memories);
        }

        void run(INDArray[] in, INDArray out) {
            for (int i = 0; i < in.length; i++) {
                bindings.bind(i, in[i]);
            }
            bindings.bind(in.length, out);
            check(dnnl_primitive_execute(step.primitive(), stream, step.count(), step.arguments()), "tanh");
            check(dnnl_stream_wait(stream), "stream wait");
        }
    }
}
