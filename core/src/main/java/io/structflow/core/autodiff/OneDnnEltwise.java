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
 * One oneDNN eltwise operation (an algorithm with its α; forward {@code src → dst}, or backward
 * {@code (src or dst, diff_dst) → diff_src}) on float32 arrays treated as flat blocks of one
 * length, for {@link TanhKernel} and {@link LeakyReluKernel}. The output must be contiguous;
 * strided inputs are copied into contiguous work arrays kept for the next run. Primitives are made
 * once per operation, length and thread and reused; a run on the arrays of the previous run
 * allocates nothing.
 */
final class OneDnnEltwise {
    private static final ThreadLocal<Map<List<Number>, Primitive>> THREAD = ThreadLocal.withInitial(HashMap::new);

    private final int algorithm;
    private final float alpha;
    private final int[] keys;
    private final INDArray[] copies;
    private final NativeKernel[] copyKernels;
    private Thread owner;
    private Primitive primitive;

    private OneDnnEltwise(int algorithm, float alpha, int[] keys) {
        this.algorithm = algorithm;
        this.alpha = alpha;
        this.keys = keys;
        this.copies = new INDArray[keys.length - 1];
        this.copyKernels = new NativeKernel[keys.length - 1];
    }

    /** {@code dst = f(src)}: inputs {src}, output {dst}. */
    static OneDnnEltwise forward(int algorithm, float alpha) {
        return new OneDnnEltwise(algorithm, alpha, new int[] {DNNL_ARG_SRC, DNNL_ARG_DST});
    }

    /**
     * {@code diff_src = diff_dst ⊙ f'}: inputs {src, diff_dst}, or {dst, diff_dst} for an algorithm
     * whose backward reads the result ({@code fromDst}); output {diff_src}.
     */
    static OneDnnEltwise backward(int algorithm, float alpha, boolean fromDst) {
        return new OneDnnEltwise(algorithm, alpha, new int[] {fromDst ? DNNL_ARG_DST : DNNL_ARG_SRC, DNNL_ARG_DIFF_DST,
            DNNL_ARG_DIFF_SRC});
    }

    /** Whether these arrays run here: all FLOAT of one length, the output contiguous. */
    static boolean accepts(INDArray[] in, INDArray out) {
        if (out.dataType() != DataType.FLOAT || !contiguous(out)) {
            return false;
        }
        for (INDArray a : in) {
            if (a.dataType() != DataType.FLOAT || a.length() != out.length()) {
                return false;
            }
        }
        return true;
    }

    /** Runs on arrays that {@link #accepts}. */
    void run(INDArray[] in, INDArray out) {
        long n = out.length();
        if (owner != Thread.currentThread() || primitive.length != n) {
            boolean backward = keys.length == 3;
            primitive = THREAD.get().computeIfAbsent(List.of(algorithm, alpha, keys[0], keys.length, n),
                    k -> new Primitive(algorithm, alpha, backward, keys, n));
            owner = Thread.currentThread();
        }
        primitive.run(contiguousInputs(in), out);
    }

    /** The inputs, strided ones replaced by contiguous copies kept for the next run. */
    private INDArray[] contiguousInputs(INDArray[] in) {
        INDArray[] result = in;
        for (int i = 0; i < in.length; i++) {
            if (!contiguous(in[i])) {
                if (copies[i] == null || !Arrays.equals(copies[i].shape(), in[i].shape())) {
                    copies[i] = Nd4j.createUninitialized(DataType.FLOAT, in[i].shape(), 'c');
                    copyKernels[i] = NativeKernel.copy();
                }
                copyKernels[i].run(new INDArray[] {in[i]}, new INDArray[] {copies[i]});
                result = result == in ? in.clone() : result;
                result[i] = copies[i];
            }
        }
        return result;
    }

    /** The primitive for one operation and length, its arguments bound to the last arrays run on. */
    private static final class Primitive {
        final long length;
        private final dnnl_stream stream = OneDnn.stream();
        private final OneDnn.Bindings bindings;
        private final OneDnn.Step step;

        Primitive(int algorithm, float alpha, boolean backward, int[] keys, long length) {
            this.length = length;
            dnnl_memory_desc_t md = desc(new long[] {length}, dnnl_a);
            dnnl_eltwise_desc_t forward = new dnnl_eltwise_desc_t();
            check(dnnl_eltwise_forward_desc_init(forward, dnnl_forward_training, algorithm, md, alpha, 0f),
                    "eltwise descriptor");
            dnnl_primitive_desc forwardPd = new dnnl_primitive_desc();
            check(dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(forward), null, ENGINE, null),
                    "eltwise primitive descriptor");
            dnnl_memory[] memories = new dnnl_memory[keys.length];
            for (int i = 0; i < keys.length; i++) {
                memories[i] = new dnnl_memory();
                check(dnnl_memory_create(memories[i], md, ENGINE, null), "memory");
            }
            bindings = new OneDnn.Bindings(memories);
            dnnl_primitive_desc pd = forwardPd;
            if (backward) {
                dnnl_eltwise_desc_t bwd = new dnnl_eltwise_desc_t();
                check(dnnl_eltwise_backward_desc_init(bwd, algorithm, md, md, alpha, 0f), "eltwise backward descriptor");
                pd = new dnnl_primitive_desc();
                check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(bwd), null, ENGINE, forwardPd),
                        "eltwise backward primitive descriptor");
            }
            step = OneDnn.step(pd, keys, memories);
        }

        void run(INDArray[] in, INDArray out) {
            for (int i = 0; i < in.length; i++) {
                bindings.bind(i, in[i]);
            }
            bindings.bind(in.length, out);
            check(dnnl_primitive_execute(step.primitive(), stream, step.count(), step.arguments()), "eltwise");
            check(dnnl_stream_wait(stream), "stream wait");
        }
    }
}
