package io.structflow.core.autodiff;

import static io.structflow.core.autodiff.OneDnn.ENGINE;
import static io.structflow.core.autodiff.OneDnn.check;
import static io.structflow.core.autodiff.OneDnn.contiguous;
import static io.structflow.core.autodiff.OneDnn.desc;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_avg_exclude_padding;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Average pooling over non-overlapping {@code k × k} windows of float32 {@code [B, C, H, W]}
 * arrays on oneDNN, as a replayable kernel: forward {@code y = mean of each window} (input x,
 * output y), and backward {@code ∂x = each window's ∂y spread over the window, divided by k²}
 * (input ∂y, output ∂x), the adjoint of the forward. For {@link Tensor#avgPool2d}, which uses it
 * where {@link #accepts} holds and libnd4j's reduction and upsampling otherwise. Primitives are
 * made once per direction, window, shape and thread and reused; a run on the arrays of the previous
 * run allocates nothing.
 */
final class OneDnnPooling implements Kernel {
    private static final ThreadLocal<Map<List<Long>, Primitive>> THREAD = ThreadLocal.withInitial(HashMap::new);

    private final int window;
    private final boolean backward;
    private Thread owner;
    private Primitive primitive;

    private OneDnnPooling(int window, boolean backward) {
        this.window = window;
        this.backward = backward;
    }

    /** {@code y = avgPool(x)}: input x {@code [B, C, H, W]}, output y {@code [B, C, H/k, W/k]}. */
    static OneDnnPooling forward(int window) {
        return new OneDnnPooling(window, false);
    }

    /** {@code ∂x = upsample(∂y) / k²}: input ∂y {@code [B, C, H/k, W/k]}, output ∂x {@code [B, C, H, W]}. */
    static OneDnnPooling backward(int window) {
        return new OneDnnPooling(window, true);
    }

    /**
     * Whether an input runs here: float32 and contiguous (the output must be a contiguous float32
     * array too, as a fresh result array is).
     */
    static boolean accepts(INDArray in) {
        return in.dataType() == DataType.FLOAT && contiguous(in);
    }

    @Override
    public void run(INDArray[] in, INDArray[] out) {
        long[] image = (backward ? out[0] : in[0]).shape();
        if (owner != Thread.currentThread() || !Arrays.equals(primitive.image, image)) {
            List<Long> key = List.of(backward ? 1L : 0L, (long) window, image[0], image[1], image[2], image[3]);
            primitive = THREAD.get().computeIfAbsent(key, k -> new Primitive(window, backward, image));
            owner = Thread.currentThread();
        }
        primitive.run(in[0], out[0]);
    }

    /** The primitive for one direction, window and image shape, bound to the last arrays run on. */
    private static final class Primitive {
        final long[] image;
        private final dnnl_stream stream = OneDnn.stream();
        private final OneDnn.Bindings bindings;
        private final OneDnn.Step step;

        Primitive(int k, boolean backward, long[] image) {
            this.image = image.clone();
            long[] pooled = {image[0], image[1], image[2] / k, image[3] / k};
            dnnl_memory_desc_t big = desc(image, dnnl_nchw);
            dnnl_memory_desc_t small = desc(pooled, dnnl_nchw);
            long[] size = {k, k};
            long[] none = {0, 0};
            dnnl_pooling_desc_t forward = new dnnl_pooling_desc_t();
            check(dnnl_pooling_forward_desc_init(forward, dnnl_forward_training, dnnl_pooling_avg_exclude_padding, big,
                    small, size, size, none, none), "pooling descriptor");
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(forward), null, ENGINE, null),
                    "pooling primitive descriptor");
            int[] keys = {DNNL_ARG_SRC, DNNL_ARG_DST};
            dnnl_memory_desc_t[] descs = {big, small};
            if (backward) {
                dnnl_pooling_desc_t bwd = new dnnl_pooling_desc_t();
                check(dnnl_pooling_backward_desc_init(bwd, dnnl_pooling_avg_exclude_padding, big, small, size, size, none,
                        none), "pooling backward descriptor");
                dnnl_primitive_desc hint = pd;
                pd = new dnnl_primitive_desc();
                check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(bwd), null, ENGINE, hint),
                        "pooling backward primitive descriptor");
                keys = new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC};
                descs = new dnnl_memory_desc_t[] {small, big};
            }
            dnnl_memory[] memories = new dnnl_memory[2];
            for (int i = 0; i < 2; i++) {
                memories[i] = new dnnl_memory();
                check(dnnl_memory_create(memories[i], descs[i], ENGINE, null), "memory");
            }
            bindings = new OneDnn.Bindings(memories);
            step = OneDnn.step(pd, keys, memories);
        }

        void run(INDArray in, INDArray out) {
            bindings.bind(0, in);
            bindings.bind(1, out);
            check(dnnl_primitive_execute(step.primitive(), stream, step.count(), step.arguments()), "pooling");
            check(dnnl_stream_wait(stream), "stream wait");
        }
    }
}
