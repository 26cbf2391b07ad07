package io.structflow.core.autodiff;

import static io.structflow.core.autodiff.OneDnn.ENGINE;
import static io.structflow.core.autodiff.OneDnn.check;
import static io.structflow.core.autodiff.OneDnn.contiguous;
import static io.structflow.core.autodiff.OneDnn.desc;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ba;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_matmul_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The matrix product {@code C = op(A) · op(B)}, {@code op} the transpose when asked: inputs {A, B},
 * output {C}; rank 2, or rank 3 batched over the leading axis.
 *
 * <p>A float32 rank-2 product of contiguous arrays runs on oneDNN's matmul primitive, the
 * transposes expressed as the operands' layouts (no copies): at every size measured, from a
 * 256×8·8×8 product to 256×128·128×128, in less than half the time of libnd4j's {@code matmul}
 * ({@code docs/performance.md}). Float64, batched or strided products and empty ones run on
 * libnd4j's {@code matmul}. A primitive is made once per shape, transposes and thread and reused;
 * a run on the arrays of the previous run allocates nothing.
 */
final class MatmulKernel implements Kernel {
    private static final ThreadLocal<Map<List<Long>, Primitive>> THREAD = ThreadLocal.withInitial(HashMap::new);

    private final boolean transposeA;
    private final boolean transposeB;
    private final NativeKernel libnd4j;
    private Thread owner;
    private Primitive primitive;

    MatmulKernel(boolean transposeA, boolean transposeB) {
        this.transposeA = transposeA;
        this.transposeB = transposeB;
        this.libnd4j = NativeKernel.of("matmul", new double[] {1.0, 0.0},
                new long[] {transposeA ? 1 : 0, transposeB ? 1 : 0});
    }

    @Override
    public void run(INDArray[] in, INDArray[] out) {
        INDArray a = in[0];
        INDArray b = in[1];
        INDArray c = out[0];
        if (c.rank() != 2 || c.dataType() != DataType.FLOAT || a.dataType() != DataType.FLOAT
                || b.dataType() != DataType.FLOAT || !contiguous(a) || !contiguous(b) || !contiguous(c)) {
            libnd4j.run(in, out);
            return;
        }
        long m = c.size(0);
        long n = c.size(1);
        long k = transposeA ? a.size(0) : a.size(1);
        if (m * k * n == 0) {
            libnd4j.run(in, out);
            return;
        }
        if (owner != Thread.currentThread() || primitive.m != m || primitive.k != k || primitive.n != n) {
            primitive = THREAD.get().computeIfAbsent(List.of(m, k, n, transposeA ? 1L : 0L, transposeB ? 1L : 0L),
                    key -> new Primitive(m, k, n, transposeA, transposeB));
            owner = Thread.currentThread();
        }
        primitive.run(a, b, c);
    }

    /** oneDNN's matmul for one shape and pair of transposes, its arguments bound to the last arrays run on. */
    private static final class Primitive {
        final long m;
        final long k;
        final long n;
        private final dnnl_stream stream = OneDnn.stream();
        private final OneDnn.Bindings bindings;
        private final OneDnn.Step step;

        Primitive(long m, long k, long n, boolean transposeA, boolean transposeB) {
            this.m = m;
            this.k = k;
            this.n = n;
            // a transposed operand is the row-major array of the other shape, read column by column
            dnnl_memory_desc_t src = desc(new long[] {m, k}, transposeA ? dnnl_ba : dnnl_ab);
            dnnl_memory_desc_t weights = desc(new long[] {k, n}, transposeB ? dnnl_ba : dnnl_ab);
            dnnl_memory_desc_t dst = desc(new long[] {m, n}, dnnl_ab);
            dnnl_matmul_desc_t op = new dnnl_matmul_desc_t();
            check(dnnl_matmul_desc_init(op, src, weights, null, dst), "matmul descriptor");
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(op), null, ENGINE, null),
                    "matmul primitive descriptor");
            dnnl_memory[] memories = {new dnnl_memory(), new dnnl_memory(), new dnnl_memory()};
            check(dnnl_memory_create(memories[0], src, ENGINE, null), "memory");
            check(dnnl_memory_create(memories[1], weights, ENGINE, null), "memory");
            check(dnnl_memory_create(memories[2], dst, ENGINE, null), "memory");
            bindings = new OneDnn.Bindings(memories);
            step = OneDnn.step(pd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}, memories);
        }

        void run(INDArray a, INDArray b, INDArray c) {
            bindings.bind(0, a);
            bindings.bind(1, b);
            bindings.bind(2, c);
            check(dnnl_primitive_execute(step.primitive(), stream, step.count(), step.arguments()), "matmul");
            check(dnnl_stream_wait(stream), "stream wait");
        }
    }
}
