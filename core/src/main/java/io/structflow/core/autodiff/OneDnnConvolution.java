package io.structflow.core.autodiff;

import static io.structflow.core.autodiff.OneDnn.ENGINE;
import static io.structflow.core.autodiff.OneDnn.address;
import static io.structflow.core.autodiff.OneDnn.check;
import static io.structflow.core.autodiff.OneDnn.contiguous;
import static io.structflow.core.autodiff.OneDnn.desc;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_abcd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_auto;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core;
import static org.bytedeco.dnnl.global.dnnl.dnnl_get_effective_cpu_isa;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_get_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_eltwise;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Three float32 convolution products run on oneDNN's primitives directly (JavaCPP's
 * {@code org.bytedeco:dnnl} preset), where libnd4j's ops are slow or missing: libnd4j has no
 * weight-gradient-only op ({@code conv2d_bp} always computes the image gradient too), and at few
 * channels its oneDNN build runs the transposed convolution and the backward-data pass on slow
 * implementations (measured in docs/performance.md). In the notation of {@link Convolution}, with
 * x {@code [B, C, H, W]}, W {@code [O, C, kH, kW]}, y {@code [B, O, H', W']}:
 * <ul>
 *   <li>{@link Kind#FORWARD}: {@code conv(x, W)} (oneDNN's convolution forward);</li>
 *   <li>{@link Kind#TRANSPOSED}: {@code convT(y, W)} as the forward convolution of y with the
 *       flipped, transposed kernel {@code W'[c, o, i, j] = W[o, c, kH−1−i, kW−1−j]} and padding
 *       {@code k−1−p} (the adjoint of a stride-1 convolution, [Dumoulin &amp; Visin 2016, §4.1]);</li>
 *   <li>{@link Kind#WEIGHT_GRADIENT}: {@code weightGrad(x, y)} (oneDNN's convolution backward
 *       weights, which does not compute an image gradient), and on request the bias gradient
 *       {@code Σ_{b, i, j} y[b, o, i, j]}.</li>
 * </ul>
 * The forward convolution adds a bias on request and the weight gradient then also writes the
 * bias gradient {@code Σ_{batch, rows, columns} y}; the forward products may run on Winograd's minimal filtering
 * [Lavin &amp; Gray 2016] at 32 channels and more. Only stride 1 and padding ≤ k−1 ({@link #supports}); other geometries and float64 (oneDNN has no
 * f64 convolution) stay on libnd4j. Primitives, layout reorders and their buffers are created once
 * per shape and thread and reused; a run on the arrays of the previous run allocates nothing.
 * Arrays are read in NCHW/OIHW layout from their buffer's address (a view's buffer starts at the
 * view); non-contiguous inputs are copied first.
 */
public final class OneDnnConvolution {
    /** The product a kernel computes from its two operands. */
    public enum Kind { FORWARD, TRANSPOSED, WEIGHT_GRADIENT }

    /**
     * {@code structflow.directConvolution} (default true): whether eligible float32 convolutions
     * call oneDNN directly; false keeps every convolution on libnd4j's ops (for A/B measurements).
     */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("structflow.directConvolution", "true"));

    private static final ThreadLocal<PerThread> THREAD = ThreadLocal.withInitial(PerThread::new);
    /** Channel count (in and out) from which the forward products may use Winograd. */
    private static final long WINOGRAD_CHANNELS = 32;

    private final Kind kind;
    private final ConvGeometry geometry;
    /** Slope of the leaky ReLU applied to the forward convolution's output (a post-op); NaN: none. */
    private final double slope;
    private Thread owner;
    private Primitives primitives;

    private OneDnnConvolution(Kind kind, ConvGeometry geometry, double slope) {
        this.kind = kind;
        this.geometry = geometry;
        this.slope = slope;
    }

    /** A kernel computing {@code kind} for this geometry; see {@link #supports} before use. */
    public static OneDnnConvolution of(Kind kind, ConvGeometry geometry) {
        return new OneDnnConvolution(kind, geometry, Double.NaN);
    }

    /**
     * {@link Kind#FORWARD} followed by the leaky ReLU {@code z (z > 0), a·z (z ≤ 0)} with slope
     * {@code a ≥ 0}, applied by oneDNN to each output element before it is stored (an eltwise
     * post-op: one product {@code a·z} in float32, the rounding of the definition).
     */
    public static OneDnnConvolution forwardLeakyRelu(ConvGeometry geometry, double slope) {
        requireSlope("OneDnnConvolution", slope);
        return new OneDnnConvolution(Kind.FORWARD, geometry, slope);
    }

    /** Throws, naming {@code where}, unless {@code slope} is a leaky ReLU slope a post-op takes: finite and ≥ 0. */
    static void requireSlope(String where, double slope) {
        if (!(slope >= 0) || Double.isInfinite(slope)) {
            throw new IllegalArgumentException(where + ": slope expected a finite number ≥ 0 but got " + slope);
        }
    }

    /** Whether convolutions of this element type, geometry and kernel shape run here. */
    public static boolean supports(DataType type, ConvGeometry g, long[] kernelShape) {
        return ENABLED && type == DataType.FLOAT && g.strideH() == 1 && g.strideW() == 1
                && g.padH() <= kernelShape[2] - 1 && g.padW() <= kernelShape[3] - 1;
    }

    /**
     * Writes the product of {@code a} and {@code b} into {@code out}: FORWARD (x, W) → y,
     * TRANSPOSED (y, W) → x-shaped, WEIGHT_GRADIENT (x, y) → W-shaped. {@code out} must be
     * contiguous (C order).
     */
    public void run(INDArray a, INDArray b, INDArray out) {
        execute(a, b, null, 1.0f, out);
    }

    /**
     * {@link Kind#TRANSPOSED} with the kernel scaled by s, {@code convT(y, s·W)}: s multiplies the
     * flipped kernel this product writes on every run anyway, so scaling costs no pass over the
     * output (one float32 product per kernel element, before the sums).
     */
    public void runScaled(INDArray a, INDArray b, double scale, INDArray out) {
        if (kind != Kind.TRANSPOSED) {
            throw new IllegalArgumentException("OneDnnConvolution: a kernel scale expected only with TRANSPOSED but got " + kind);
        }
        execute(a, b, null, (float) scale, out);
    }

    /**
     * {@link Kind#FORWARD} plus a bias {@code [O]} added to each output channel, or
     * {@link Kind#WEIGHT_GRADIENT} plus the bias gradient {@code [O]} written into {@code bias}
     * (contiguous); {@code bias} null: none.
     */
    public void run(INDArray a, INDArray b, INDArray bias, INDArray out) {
        execute(a, b, bias, 1.0f, out);
    }

    private void execute(INDArray a, INDArray b, INDArray bias, float scale, INDArray out) {
        if (bias != null && kind == Kind.TRANSPOSED) {
            throw new IllegalArgumentException("OneDnnConvolution: bias expected only with FORWARD or WEIGHT_GRADIENT but got "
                    + kind);
        }
        for (INDArray array : new INDArray[] {a, b, bias, out}) {
            if (array != null && array.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("OneDnnConvolution: arrays expected FLOAT but got " + array.dataType());
            }
        }
        if (!contiguous(out)) {
            throw new IllegalArgumentException("OneDnnConvolution: out expected a contiguous C-order array but got strides "
                    + Arrays.toString(out.stride()));
        }
        if (kind == Kind.WEIGHT_GRADIENT && bias != null && !contiguous(bias)) {
            throw new IllegalArgumentException("OneDnnConvolution: bias (the bias gradient) expected a contiguous array");
        }
        if (owner != Thread.currentThread() || !primitives.fits(a, b, bias != null, out)) {
            primitives = THREAD.get().primitives(kind, geometry, slope, a.shape(), b.shape(), bias != null, out.shape());
            owner = Thread.currentThread();
        }
        primitives.run(contiguous(a) ? a : a.dup('c'), contiguous(b) ? b : b.dup('c'),
                bias == null || contiguous(bias) ? bias : bias.dup('c'), scale, out);
    }

    /** The stream and the primitives of one thread, by shape. */
    private static final class PerThread {
        final dnnl_stream stream = OneDnn.stream();
        final Map<List<Long>, Primitives> byShape = new HashMap<>();

        Primitives primitives(Kind kind, ConvGeometry g, double slope, long[] a, long[] b, boolean bias, long[] out) {
            List<Long> key = new ArrayList<>();
            key.add((long) kind.ordinal());
            key.add(Double.doubleToLongBits(slope));
            key.add(bias ? 1L : 0L);
            key.add((long) g.padH());
            key.add((long) g.padW());
            for (long[] s : new long[][] {a, b, out}) {
                for (long d : s) {
                    key.add(d);
                }
            }
            return byShape.computeIfAbsent(key, k -> new Primitives(kind, g, slope, a, b, bias, out, stream));
        }
    }

    /**
     * One product for one shape: the user arrays as plain NCHW/OIHW oneDNN memories, reorders to and
     * from the layouts the chosen implementation wants, and the convolution primitive.
     *
     * <p>Channel packing: oneDNN's AVX-512 kernels work on blocks of 16 channels and pad fewer to 16
     * (at 8 channels half of the forward's work is padding, and the padded output goes back to NCHW
     * through a slow generic reorder). With C = 2, 4 or 8 channels in and out and a batch divisible
     * by p = 16 / C, the NCHW buffer {@code [B, C, H, W]} is read as {@code [B/p, 16, H, W]} (p
     * consecutive images side by side) and convolved with the block-diagonal kernel
     * {@code diag(W, …, W)} of p blocks: each output element is the same sum of products as
     * unpacked. The weight gradient of the packed convolution has the wanted gradient in each
     * diagonal block, one per image group; their sum is returned (and the bias gradients' sum).
     */
    private static final class Primitives {
        /** Whether oneDNN runs its AVX-512 kernels here (16-channel blocks). */
        private static final boolean AVX512 =
                (dnnl_get_effective_cpu_isa() & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core;

        private final Kind kind;
        private final long[][] shapes;
        private final dnnl_stream stream;
        private final boolean biased;
        private final int pack;
        private final dnnl_memory[] user = new dnnl_memory[4];      // a, b, out, bias
        private final OneDnn.Bindings bindings = new OneDnn.Bindings(user);
        private final OneDnn.Address handle = new OneDnn.Address();
        private final List<OneDnn.Step> steps = new ArrayList<>();
        // buffers of our own where oneDNN does not read or write the user's array: the kernel
        // (TRANSPOSED: flipped and scaled; packed: block-diagonal), rewritten from W on each run, and
        // the packed weight and bias gradients, folded into the user's arrays after each run
        private final float[] userKernel;
        private final float[] ownKernel;
        private final OneDnn.Address ownKernelAddress;
        private final float[] userBias;
        private final float[] ownBias;
        private final OneDnn.Address ownBiasAddress;
        private final float[] ownGradient;
        private final OneDnn.Address ownGradientAddress;

        Primitives(Kind kind, ConvGeometry g, double slope, long[] a, long[] b, boolean biased, long[] out,
                   dnnl_stream stream) {
            this.kind = kind;
            this.biased = biased;
            this.shapes = new long[][] {a.clone(), b.clone(), out.clone()};
            this.stream = stream;
            this.pack = packing(kind, a, b, out);
            boolean weightGradient = kind == Kind.WEIGHT_GRADIENT;
            a = packedImage(a, pack);
            b = weightGradient ? packedImage(b, pack) : packedKernel(b, pack);
            out = weightGradient ? packedKernel(out, pack) : packedImage(out, pack);
            long[] src;
            long[] weights;
            long[] dst;
            long[] padL = {g.padH(), g.padW()};
            long[] padR = padL;
            switch (kind) {
                case FORWARD -> {
                    src = a;
                    weights = b;
                    dst = out;
                }
                case TRANSPOSED -> {
                    src = a;
                    weights = new long[] {b[1], b[0], b[2], b[3]};
                    dst = out;
                    padL = new long[] {b[2] - 1 - g.padH(), b[3] - 1 - g.padW()};
                    padR = new long[] {out[2] - a[2] + b[2] - 1 - padL[0], out[3] - a[3] + b[3] - 1 - padL[1]};
                }
                default -> {
                    src = a;
                    weights = out;
                    dst = b;
                }
            }
            long[] strides = {1, 1};
            int any = dnnl_format_tag_any;
            // Winograd (which "auto" may choose) only where it was measured faster: 32 channels and
            // more on both sides (docs/performance.md); the choice depends on the shape alone.
            int algorithm = !weightGradient && Math.min(weights[0], weights[1]) >= WINOGRAD_CHANNELS
                    ? dnnl_convolution_auto : dnnl_convolution_direct;
            dnnl_memory_desc_t biasDesc = biased ? desc(new long[] {weights[0]}, dnnl_a) : null;
            dnnl_convolution_desc_t forward = new dnnl_convolution_desc_t();
            check(dnnl_convolution_forward_desc_init(forward, dnnl_forward_training, algorithm,
                    desc(src, any), desc(weights, any), biasDesc, desc(dst, any), strides, padL, padR), "forward descriptor");
            dnnl_primitive_desc forwardPd = new dnnl_primitive_desc();
            check(dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(forward), leakyReluAfter(slope), ENGINE,
                    null), "forward primitive descriptor");
            dnnl_primitive_desc pd;
            int[] queries;
            int[] args;
            if (weightGradient) {
                dnnl_convolution_desc_t backward = new dnnl_convolution_desc_t();
                check(dnnl_convolution_backward_weights_desc_init(backward, dnnl_convolution_direct, desc(src, any),
                        desc(weights, any), biasDesc, desc(dst, any), strides, padL, padR), "backward-weights descriptor");
                pd = new dnnl_primitive_desc();
                check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(backward), null, ENGINE, forwardPd),
                        "backward-weights primitive descriptor");
                queries = new int[] {dnnl_query_src_md, dnnl_query_diff_dst_md, dnnl_query_diff_weights_md};
                args = new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS};
            } else {
                pd = forwardPd;
                queries = new int[] {dnnl_query_src_md, dnnl_query_weights_md, dnnl_query_dst_md};
                args = new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST};
            }
            long[][] userDims = kind == Kind.TRANSPOSED ? new long[][] {a, weights, out} : new long[][] {a, b, out};
            boolean ownKernelBuffer = kind == Kind.TRANSPOSED || (kind == Kind.FORWARD && pack > 1);
            boolean ownGradientBuffer = weightGradient && pack > 1;
            dnnl_memory[] inner = new dnnl_memory[3];
            dnnl_primitive_desc back = null;
            for (int i = 0; i < 3; i++) {
                dnnl_memory_desc_t plain = desc(userDims[i], dnnl_abcd);
                user[i] = new dnnl_memory();
                boolean owned = i == 1 && ownKernelBuffer || i == 2 && ownGradientBuffer;
                check(dnnl_memory_create(user[i], plain, ENGINE, owned ? allocate() : null), "memory");
                dnnl_memory_desc_t wanted = dnnl_primitive_desc_query_md(pd, queries[i], 0);
                if (dnnl_memory_desc_equal(wanted, plain) != 0) {
                    inner[i] = user[i];
                    continue;
                }
                inner[i] = new dnnl_memory();
                check(dnnl_memory_create(inner[i], wanted, ENGINE, allocate()), "layout buffer");
                if (i < 2) {
                    add(reorder(plain, wanted), new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, user[i], inner[i]);
                } else {
                    back = reorder(wanted, plain);
                }
            }
            if (biased) {
                user[3] = new dnnl_memory();
                check(dnnl_memory_create(user[3], biasDesc, ENGINE, pack > 1 ? allocate() : null), "bias memory");
                int biasArgument = weightGradient ? DNNL_ARG_DIFF_BIAS : DNNL_ARG_BIAS;
                add(pd, new int[] {args[0], args[1], args[2], biasArgument}, inner[0], inner[1], inner[2], user[3]);
            } else {
                add(pd, args, inner);
            }
            if (back != null) {
                add(back, new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, inner[2], user[2]);
            }
            long[] w = weightGradient ? shapes[2] : shapes[1];
            int userKernelLength = (int) (w[0] * w[1] * w[2] * w[3]);
            userKernel = ownKernelBuffer || ownGradientBuffer ? new float[userKernelLength] : null;
            ownKernel = ownKernelBuffer ? new float[userKernelLength * pack * pack] : null;
            ownKernelAddress = ownKernelBuffer ? dataOf(user[1], "kernel buffer") : null;
            ownGradient = ownGradientBuffer ? new float[userKernelLength * pack * pack] : null;
            ownGradientAddress = ownGradientBuffer ? dataOf(user[2], "weight-gradient buffer") : null;
            userBias = biased && pack > 1 ? new float[(int) w[0]] : null;
            ownBias = biased && pack > 1 ? new float[(int) w[0] * pack] : null;
            ownBiasAddress = biased && pack > 1 ? dataOf(user[3], "bias buffer") : null;
        }

        /**
         * Images per 16-channel block (see the class comment): p = 16 / C for C ∈ {2, 4, 8} channels
         * in and out, a batch divisible by p, and oneDNN running AVX-512 kernels; 1 otherwise.
         */
        private static int packing(Kind kind, long[] a, long[] b, long[] out) {
            long in = a[1];
            long outChannels = kind == Kind.WEIGHT_GRADIENT ? b[1] : out[1];
            if (!AVX512 || in != outChannels || in < 2 || in > 8 || 16 % in != 0) {
                return 1;
            }
            int p = (int) (16 / in);
            return a[0] % p == 0 ? p : 1;
        }

        private static long[] packedImage(long[] s, int p) {
            return new long[] {s[0] / p, s[1] * p, s[2], s[3]};
        }

        private static long[] packedKernel(long[] s, int p) {
            return new long[] {s[0] * p, s[1] * p, s[2], s[3]};
        }

        private static OneDnn.Address dataOf(dnnl_memory memory, String what) {
            Pointer data = new Pointer();
            check(dnnl_memory_get_data_handle(memory, data), what);
            return new OneDnn.Address().at(data.address());
        }

        /** Attributes with the leaky ReLU of this slope as an eltwise post-op; null (none) for NaN. */
        private static dnnl_primitive_attr leakyReluAfter(double slope) {
            if (Double.isNaN(slope)) {
                return null;
            }
            dnnl_post_ops ops = new dnnl_post_ops();
            check(dnnl_post_ops_create(ops), "post-ops");
            check(dnnl_post_ops_append_eltwise(ops, 1.0f, dnnl_eltwise_relu, (float) slope, 0.0f), "leaky ReLU post-op");
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            check(dnnl_primitive_attr_create(attr), "primitive attributes");
            check(dnnl_primitive_attr_set_post_ops(attr, ops), "post-ops attribute");
            return attr;
        }

        private static Pointer allocate() {
            return new OneDnn.Address().at(-1);    // DNNL_MEMORY_ALLOCATE: oneDNN allocates the buffer
        }

        private static dnnl_primitive_desc reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_reorder_primitive_desc_create(pd, from, ENGINE, to, ENGINE, null), "reorder");
            return pd;
        }

        private void add(dnnl_primitive_desc pd, int[] keys, dnnl_memory... memories) {
            steps.add(OneDnn.step(pd, keys, memories));
        }

        boolean fits(INDArray a, INDArray b, boolean bias, INDArray out) {
            return bias == biased && Arrays.equals(shapes[0], a.shape()) && Arrays.equals(shapes[1], b.shape())
                    && Arrays.equals(shapes[2], out.shape());
        }

        void run(INDArray a, INDArray b, INDArray bias, float scale, INDArray out) {
            bindings.bind(0, a);
            if (ownKernel != null) {
                writeKernel(b, scale);
            } else {
                bindings.bind(1, b);
            }
            if (biased && ownBias == null) {
                bindings.bind(3, bias);
            } else if (biased && kind == Kind.FORWARD) {
                writeBias(bias);
            }
            if (ownGradient == null) {
                bindings.bind(2, out);
            }
            for (OneDnn.Step step : steps) {
                check(dnnl_primitive_execute(step.primitive(), stream, step.count(), step.arguments()), "execute");
            }
            check(dnnl_stream_wait(stream), "stream wait");
            if (ownGradient != null) {
                foldGradients(out, bias);
            }
        }

        /**
         * The kernel oneDNN reads, from W {@code [O, C, kH, kW]}: for TRANSPOSED
         * {@code W'[c, o, i, j] = s·W[o, c, kH−1−i, kW−1−j]}, for FORWARD W itself, each in the p
         * diagonal blocks of the packed kernel (the other blocks stay 0).
         */
        private void writeKernel(INDArray w, float scale) {
            long[] s = shapes[1];
            int outC = (int) s[0];
            int inC = (int) s[1];
            int taps = (int) (s[2] * s[3]);
            boolean flip = kind == Kind.TRANSPOSED;
            int rows = flip ? inC : outC;
            int cols = flip ? outC : inC;
            handle.at(address(w)).get(userKernel);
            for (int q = 0; q < pack; q++) {
                for (int o = 0; o < outC; o++) {
                    for (int c = 0; c < inC; c++) {
                        int from = (o * inC + c) * taps;
                        int row = q * rows + (flip ? c : o);
                        int col = q * cols + (flip ? o : c);
                        int to = (row * cols * pack + col) * taps;
                        for (int t = 0; t < taps; t++) {
                            ownKernel[flip ? to + taps - 1 - t : to + t] = scale * userKernel[from + t];
                        }
                    }
                }
            }
            ownKernelAddress.put(ownKernel);
        }

        /** The bias {@code [O]} repeated for each of the p image groups. */
        private void writeBias(INDArray bias) {
            handle.at(address(bias)).get(userBias);
            for (int q = 0; q < pack; q++) {
                System.arraycopy(userBias, 0, ownBias, q * userBias.length, userBias.length);
            }
            ownBiasAddress.put(ownBias);
        }

        /** The sums of the packed weight gradient's diagonal blocks (and bias gradient's groups) into out (and bias). */
        private void foldGradients(INDArray out, INDArray bias) {
            long[] s = shapes[2];
            int outC = (int) s[0];
            int inC = (int) s[1];
            int taps = (int) (s[2] * s[3]);
            ownGradientAddress.get(ownGradient);
            Arrays.fill(userKernel, 0);
            for (int q = 0; q < pack; q++) {
                for (int o = 0; o < outC; o++) {
                    for (int c = 0; c < inC; c++) {
                        int from = ((q * outC + o) * inC * pack + q * inC + c) * taps;
                        int to = (o * inC + c) * taps;
                        for (int t = 0; t < taps; t++) {
                            userKernel[to + t] += ownGradient[from + t];
                        }
                    }
                }
            }
            handle.at(address(out)).put(userKernel);
            if (bias != null) {
                ownBiasAddress.get(ownBias);
                Arrays.fill(userBias, 0);
                for (int q = 0; q < pack; q++) {
                    for (int o = 0; o < outC; o++) {
                        userBias[o] += ownBias[q * outC + o];
                    }
                }
                handle.at(address(bias)).put(userBias);
            }
        }
    }
}
