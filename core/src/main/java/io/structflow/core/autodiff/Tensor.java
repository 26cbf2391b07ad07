package io.structflow.core.autodiff;

import io.structflow.core.Backend;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Pow;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An n-dimensional array with reverse-mode automatic differentiation, eager and define-by-run
 * (like a PyTorch tensor).
 *
 * <p>A tensor holds an ND4J {@link INDArray} that is never written after the tensor exists
 * ({@code Parameter}, a {@link GradientSink}, is the one mutable holder), whether it requires a
 * gradient, and — when it was produced by an operation while {@link GradMode} was enabled — the
 * operation's {@link Backward} rule and inputs. Every backward rule is written with tensor
 * operations, so gradients computed with {@code createGraph = true} are differentiable again
 * (Hessian-vector products, double backprop through {@code 𝕁∇H_θ}).
 *
 * <p>Element types are {@code float32} (the default) and {@code float64}; both operands of a
 * binary operation must have the same type. Binary elementwise operations broadcast like NumPy.
 * Shapes are batch first: vectors {@code [batch, n]}, images {@code [batch, channels, height,
 * width]}.
 */
public class Tensor {
    static {
        Backend.init();
    }

    private INDArray value;
    private final boolean requiresGrad;
    private Backward backward;
    private Tensor[] inputs;
    private final String op;

    /** A leaf tensor (subclasses: {@code Parameter}). The array is owned from now on. */
    protected Tensor(INDArray value, boolean requiresGrad) {
        this(value, requiresGrad, null, null, "leaf");
    }

    private Tensor(INDArray value, boolean requiresGrad, Backward backward, Tensor[] inputs, String op) {
        DataType t = value.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException("Tensor: value expected float32 or float64 but got " + t);
        }
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.backward = backward;
        this.inputs = inputs;
        this.op = op;
    }

    // ------------------------------------------------------------------ construction

    /**
     * The result of an operation. When grad mode is on and an input requires a gradient, the
     * result records {@code backward} and {@code inputs}; otherwise it is a constant.
     * This is the extension point for new primitive operations.
     *
     * @param op       operation name, used in error messages
     * @param value    freshly allocated result, owned by the new tensor
     * @param backward vector–Jacobian product written with tensor ops
     * @param inputs   the operation's tensor inputs, in the order {@code backward} returns them
     */
    public static Tensor fromOp(String op, INDArray value, Backward backward, Tensor... inputs) {
        boolean needs = false;
        if (GradMode.isEnabled()) {
            for (Tensor in : inputs) {
                if (in != null && in.requiresGrad) {
                    needs = true;
                    break;
                }
            }
        }
        return needs ? new Tensor(value, true, backward, inputs, op) : new Tensor(value, false, null, null, op);
    }

    /** A constant (no gradient) owning {@code value}; the caller must not write it afterwards. */
    public static Tensor constant(INDArray value) {
        return new Tensor(value, false);
    }

    /** A leaf that requires a gradient (for {@link Autograd#grad}), owning {@code value}. */
    public static Tensor variable(INDArray value) {
        return new Tensor(value, true);
    }

    /** float32 tensor from data in row-major order. */
    public static Tensor of(double[] data, long... shape) {
        return of(DataType.FLOAT, data, shape);
    }

    /** Tensor of the given type from data in row-major order. */
    public static Tensor of(DataType type, double[] data, long... shape) {
        if (Shapes.size(shape) != data.length) {
            throw new IllegalArgumentException("Tensor.of: data expected " + Shapes.size(shape)
                    + " values for shape " + Shapes.str(shape) + " but got " + data.length);
        }
        return constant(Nd4j.create(data, shape, 'c').castTo(type));
    }

    /** Rank-0 tensor. */
    public static Tensor scalar(double v, DataType type) {
        return constant(Nd4j.scalar(type, v));
    }

    /** Zeros of the given type and shape. */
    public static Tensor zeros(DataType type, long... shape) {
        return constant(Nd4j.zeros(type, shape));
    }

    /** Ones of the given type and shape. */
    public static Tensor ones(DataType type, long... shape) {
        return constant(Nd4j.ones(type, shape));
    }

    /** Standard normal samples from a seeded Java generator (reproducible across runs). */
    public static Tensor randn(DataType type, SplittableRandom rng, long... shape) {
        return constant(randnArray(type, rng, shape));
    }

    /** Uniform samples in [lo, hi) from a seeded Java generator. */
    public static Tensor uniform(DataType type, SplittableRandom rng, double lo, double hi, long... shape) {
        double[] d = new double[(int) Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return of(type, d, shape);
    }

    /** An array of standard normal samples (Box–Muller on a seeded generator). */
    public static INDArray randnArray(DataType type, SplittableRandom rng, long... shape) {
        double[] d = new double[(int) Shapes.size(shape)];
        for (int i = 0; i < d.length; i += 2) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            d[i] = r * Math.cos(2 * Math.PI * u2);
            if (i + 1 < d.length) {
                d[i + 1] = r * Math.sin(2 * Math.PI * u2);
            }
        }
        return Nd4j.create(d, shape, 'c').castTo(type);
    }

    // ------------------------------------------------------------------ accessors

    /** The array; callers must not write it. */
    public INDArray value() {
        return value;
    }

    /**
     * Moves a leaf's value to {@code storage} (same shape and type, holding the same numbers): how
     * a {@code Parameter} comes to live in a flat buffer shared with its model's other parameters.
     */
    protected final void moveStorage(INDArray storage) {
        if (backward != null || inputs != null) {
            throw new IllegalStateException("moveStorage: only a leaf's storage can move, not the result of " + op);
        }
        if (storage.dataType() != value.dataType() || !Arrays.equals(storage.shape(), value.shape())) {
            throw new IllegalArgumentException("moveStorage: expected " + value.dataType() + Shapes.str(value.shape())
                    + " but got " + storage.dataType() + Shapes.str(storage.shape()));
        }
        value = storage;
    }

    /** Shape, batch first. */
    public long[] shape() {
        return value.shape().clone();
    }

    /** Size of one dimension (negative axes count from the end). */
    public long size(int axis) {
        return value.size(Shapes.axis("size", axis, rank()));
    }

    /** Number of dimensions. */
    public int rank() {
        return value.rank();
    }

    /** Number of elements. */
    public long length() {
        return value.length();
    }

    /** Element type. */
    public DataType dtype() {
        return value.dataType();
    }

    /** True when gradients flow to or through this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True for tensors not produced by a recorded operation. */
    public boolean isLeaf() {
        return backward == null;
    }

    /** Name of the operation that produced this tensor ("leaf" for leaves and constants). */
    public String op() {
        return op;
    }

    Backward backwardRule() {
        return backward;
    }

    Tensor[] inputs() {
        return inputs;
    }

    /** Drops the recorded graph edge (after a non-retained backward pass). */
    void releaseGraph() {
        backward = ReleasedGraph.INSTANCE;
        inputs = new Tensor[0];
    }

    /** The single value of a one-element tensor, as double. */
    public double item() {
        if (value.length() != 1) {
            throw new IllegalArgumentException("item: expected a one-element tensor but got shape "
                    + Shapes.str(shape()));
        }
        noteHostRead("item");
        return value.getDouble(0);
    }

    /** A copy of the values in row-major order. */
    public double[] toDoubleArray() {
        noteHostRead("toDoubleArray");
        return value.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }

    private void noteHostRead(String what) {
        if (requiresGrad || !isLeaf()) {
            Replay.hostDependency(what + "() read the value of a " + op + " result on the host");
        }
    }

    /** A constant sharing this tensor's value, cut from the graph. */
    public Tensor detach() {
        return constant(value);
    }

    /** A copy converted to another element type (differentiable). */
    public Tensor to(DataType type) {
        if (type == dtype()) {
            return this;
        }
        DataType from = dtype();
        INDArray out = alloc(type, shape());
        Replay.exec((in, o) -> o[0].assign(in[0]), new INDArray[] {value}, out);
        return fromOp("to", out, g -> new Tensor[] {g.to(from)}, this);
    }

    @Override
    public String toString() {
        return "Tensor" + Shapes.str(shape()) + "(" + dtype() + (requiresGrad ? ", requiresGrad" : "")
                + ", op=" + op + ")\n" + value;
    }

    // ------------------------------------------------------------------ broadcasting binary ops

    private INDArray broadcastExec(String name, Tensor other, String nativeName) {
        if (other.dtype() != dtype()) {
            throw new IllegalArgumentException(name + ": operands expected the same element type but got "
                    + dtype() + " and " + other.dtype() + " (convert one with to(DataType))");
        }
        long[] shape = Shapes.broadcast(name, shape(), other.shape());
        INDArray out = alloc(dtype(), shape);
        NativeKernel.of(nativeName).exec(new INDArray[] {value, other.value}, out);
        return out;
    }

    /** Elementwise sum with broadcasting. */
    public Tensor add(Tensor other) {
        INDArray out = broadcastExec("add", other, "add");
        long[] sa = shape();
        long[] sb = other.shape();
        return fromOp("add", out, g -> new Tensor[] {g.sumToShape(sa), g.sumToShape(sb)}, this, other);
    }

    /** Elementwise difference with broadcasting. */
    public Tensor sub(Tensor other) {
        INDArray out = broadcastExec("sub", other, "subtract");
        long[] sa = shape();
        long[] sb = other.shape();
        return fromOp("sub", out, g -> new Tensor[] {g.sumToShape(sa), g.neg().sumToShape(sb)}, this, other);
    }

    /** Elementwise product with broadcasting. */
    public Tensor mul(Tensor other) {
        INDArray out = broadcastExec("mul", other, "multiply");
        Tensor a = this;
        return fromOp("mul", out, g -> new Tensor[] {
            a.requiresGrad ? g.mul(other).sumToShape(a.shape()) : null,
            other.requiresGrad ? g.mul(a).sumToShape(other.shape()) : null}, this, other);
    }

    /** Elementwise quotient with broadcasting. */
    public Tensor div(Tensor other) {
        INDArray out = broadcastExec("div", other, "divide");
        Tensor a = this;
        return fromOp("div", out, g -> new Tensor[] {
            a.requiresGrad ? g.div(other).sumToShape(a.shape()) : null,
            other.requiresGrad ? g.mul(a).div(other.mul(other)).neg().sumToShape(other.shape()) : null},
            this, other);
    }

    /** Adds a constant. */
    public Tensor add(double c) {
        INDArray out = alloc(dtype(), shape());
        NativeKernel.of("add").exec(new INDArray[] {value, ResultArrays.scalar(dtype(), c)}, out);
        return fromOp("add", out, g -> new Tensor[] {g}, this);
    }

    /** Subtracts a constant. */
    public Tensor sub(double c) {
        return add(-c);
    }

    /** Multiplies by a constant. */
    public Tensor mul(double c) {
        INDArray out = alloc(dtype(), shape());
        NativeKernel.of("multiply").exec(new INDArray[] {value, ResultArrays.scalar(dtype(), c)}, out);
        return fromOp("mul", out, g -> new Tensor[] {g.mul(c)}, this);
    }

    /** Divides by a constant. */
    public Tensor div(double c) {
        return mul(1.0 / c);
    }

    /** −x. */
    public Tensor neg() {
        return mul(-1.0);
    }

    /** c − x. */
    public Tensor rsub(double c) {
        return neg().add(c);
    }

    /** x². */
    public Tensor square() {
        return mul(this);
    }

    // ------------------------------------------------------------------ unary elementwise ops

    /** x^p for a constant exponent. */
    public Tensor pow(double p) {
        Tensor x = this;
        return fromOp("pow", unary((in, o) -> Nd4j.exec(new Pow(in[0], o[0], p))), g -> new Tensor[] {g.mul(x.pow(p - 1)).mul(p)}, this);
    }

    /** eˣ. */
    public Tensor exp() {
        Tensor[] self = new Tensor[1];
        self[0] = fromOp("exp", unary((in, o) -> Nd4j.exec(new Exp(in[0], o[0]))), g -> new Tensor[] {g.mul(self[0])}, this);
        return self[0];
    }

    /** Natural logarithm. */
    public Tensor log() {
        Tensor x = this;
        return fromOp("log", unary((in, o) -> Nd4j.exec(new Log(in[0], o[0]))), g -> new Tensor[] {g.div(x)}, this);
    }

    /** Square root. */
    public Tensor sqrt() {
        Tensor[] self = new Tensor[1];
        self[0] = fromOp("sqrt", unary((in, o) -> Nd4j.exec(new Sqrt(in[0], o[0]))), g -> new Tensor[] {g.div(self[0]).mul(0.5)}, this);
        return self[0];
    }

    /** |x| (subgradient 0 at 0). */
    public Tensor abs() {
        INDArray out = alloc(dtype(), shape());
        INDArray signs = alloc(dtype(), shape());
        Replay.exec((in, o) -> {
            Nd4j.exec(new Abs(in[0], o[0]));
            Nd4j.exec(new Sign(in[0], o[1]));
        }, new INDArray[] {value}, out, signs);
        Tensor sign = constant(signs);
        return fromOp("abs", out, g -> new Tensor[] {g.mul(sign)}, this);
    }

    /** Hyperbolic tangent; its backward is {@link #tanhBackward}. */
    public Tensor tanh() {
        Tensor[] self = new Tensor[1];
        self[0] = fromOp("tanh", unary(TanhKernel.forward()), g -> new Tensor[] {tanhBackward(self[0], g)}, this);
        return self[0];
    }

    /**
     * {@code g ⊙ (1 − y²)} for {@code y = tanh x}, differentiable in y and g (for gradients of
     * gradients): one kernel in float32 ({@link TanhKernel#backwardFromOutput}), composed
     * operations in float64.
     */
    private static Tensor tanhBackward(Tensor y, Tensor g) {
        if (y.dtype() != DataType.FLOAT || g.dtype() != DataType.FLOAT || !Arrays.equals(y.shape(), g.shape())) {
            return g.mul(y.square().rsub(1.0));
        }
        INDArray out = alloc(DataType.FLOAT, y.shape());
        Replay.exec(TanhKernel.backwardFromOutput(), new INDArray[] {y.value, g.value}, out);
        return fromOp("tanhBackward", out, h -> new Tensor[] {
            y.requiresGrad ? h.mul(g).mul(y).mul(-2.0) : null,
            g.requiresGrad ? tanhBackward(y, h) : null}, y, g);
    }

    /** Logistic sigmoid 1/(1+e^{−x}). */
    public Tensor sigmoid() {
        Tensor[] self = new Tensor[1];
        self[0] = fromOp("sigmoid", unary(NativeKernel.of("sigmoid")),
                g -> new Tensor[] {g.mul(self[0]).mul(self[0].rsub(1.0))}, this);
        return self[0];
    }

    /** max(x, 0). */
    public Tensor relu() {
        return leakyRelu(0.0);
    }

    /** Leaky ReLU with any slope a: x for x &gt; 0, a·x otherwise (a = 0.5 gives max(x, x/2) for a ≤ 1). */
    public Tensor leakyRelu(double slope) {
        Tensor x = this;
        INDArray out = unary(LeakyReluKernel.forward(slope));
        return fromOp("leakyRelu", out, g -> new Tensor[] {leakyReluGrad(x, g, slope)}, this);
    }

    /** {@code g ⊙ σ'(x)} for leaky ReLU: linear in g, piecewise constant in x. */
    static Tensor leakyReluGrad(Tensor x, Tensor g, double slope) {
        INDArray out = alloc(g.dtype(), g.shape());
        LeakyReluKernel.backward(slope).exec(new INDArray[] {x.value, g.value}, out);
        return fromOp("leakyReluGrad", out, gg -> new Tensor[] {null, leakyReluGrad(x, gg, slope)}, x, g);
    }

    /** log(1 + eˣ), computed stably. */
    public Tensor softplus() {
        Tensor x = this;
        return fromOp("softplus", unary(NativeKernel.of("softplus")), g -> new Tensor[] {g.mul(x.sigmoid())}, this);
    }

    /** 1 where x &gt; c, 0 elsewhere; a constant (no gradient). */
    public Tensor gtMask(double c) {
        INDArray out = alloc(dtype(), shape());
        Replay.exec((in, o) -> o[0].assign(in[0].gt(c).castTo(o[0].dataType())), new INDArray[] {value}, out);
        return constant(out);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements (rank-0 result); accumulated in double for large float32 inputs. */
    public Tensor sum() {
        long[] s = shape();
        INDArray out = alloc(dtype());
        if (value.length() > 4096 && dtype() == DataType.FLOAT) {
            // float32 accumulation over many elements loses digits: sum in double, in this thread's work
            // arrays (a new double copy per call would be freed only when the garbage collector runs)
            INDArray wide = Scratch.arrays("sum in double", DataType.DOUBLE, s, 1)[0];
            INDArray total = Scratch.arrays("sum in double, total", DataType.DOUBLE, new long[0], 1)[0];
            NativeKernel.cast(DataType.DOUBLE).exec(new INDArray[] {value}, wide);
            NativeKernel.of("reduce_sum").exec(new INDArray[] {wide}, total);
            NativeKernel.cast(DataType.FLOAT).exec(new INDArray[] {total}, out);
        } else {
            NativeKernel.of("reduce_sum").exec(new INDArray[] {value}, out);
        }
        return fromOp("sum", out, g -> new Tensor[] {g.broadcastTo(s)}, this);
    }

    /** Sum over the given axes. */
    public Tensor sum(boolean keepDims, int... axes) {
        if (axes.length == 0) {
            return keepDims ? sum().reshape(onesShape(rank())) : sum();
        }
        int[] ax = normaliseAxes("sum", axes);
        long[] s = shape();
        long[] kept = keptShape(s, ax);
        INDArray out = alloc(dtype(), keepDims ? kept : removeAxes(s, ax));
        if (keepDims && s.length == 2 && ax.length == 1 && ax[0] == 0) {
            // column sums as the product 1ᵀX (a bias gradient): libnd4j reduces along the leading
            // axis of a row-major matrix several times slower than a matrix product reads it
            Replay.exec(new MatmulKernel(false, false), new INDArray[] {ResultArrays.ones(dtype(), s[0]), value}, out);
        } else {
            long[] axesArg = java.util.Arrays.stream(ax).asLongStream().toArray();
            NativeKernel.of("reduce_sum", new double[0], axesArg, keepDims).exec(new INDArray[] {value}, out);
        }
        return fromOp("sum", out, g -> new Tensor[] {g.reshape(kept).broadcastTo(s)}, this);
    }

    /** Mean of all elements. */
    public Tensor mean() {
        return sum().div(length());
    }

    /** Mean over the given axes. */
    public Tensor mean(boolean keepDims, int... axes) {
        int[] ax = normaliseAxes("mean", axes);
        long count = 1;
        for (int a : ax) {
            count *= size(a);
        }
        return sum(keepDims, ax).div(count);
    }

    /** Maximum over the given axes; the gradient is split evenly between ties. */
    public Tensor max(boolean keepDims, int... axes) {
        int[] ax = normaliseAxes("max", axes);
        long[] s = shape();
        long[] kept = keptShape(s, ax);
        INDArray out = alloc(dtype(), keepDims ? kept : removeAxes(s, ax));
        INDArray weightArray = alloc(dtype(), s);
        Replay.exec((in, o) -> {
            INDArray maxKept = in[0].max(true, ax);
            INDArray mask = in[0].eq(maxKept.broadcast(s)).castTo(o[1].dataType());
            o[1].assign(mask.divi(mask.sum(true, ax).broadcast(s)));
            o[0].assign(maxKept.reshape(o[0].shape()));
        }, new INDArray[] {value}, out, weightArray);
        Tensor weights = constant(weightArray);
        return fromOp("max", out, g -> new Tensor[] {g.reshape(kept).broadcastTo(s).mul(weights)}, this);
    }

    /** log Σ exp over an axis, stabilised by the (constant) maximum. */
    public Tensor logSumExp(int axis, boolean keepDims) {
        int a = Shapes.axis("logSumExp", axis, rank());
        long[] keptShape = shape();
        keptShape[a] = 1;
        INDArray maxArray = alloc(dtype(), keptShape);
        NativeKernel.of("reduce_max", new double[0], new long[] {a}, true).exec(new INDArray[] {value}, maxArray);
        Tensor m = constant(maxArray);
        Tensor r = sub(m).exp().sum(true, a).log().add(m);
        return keepDims ? r : r.reshape(removeAxes(r.shape(), new int[] {a}));
    }

    /** log softmax over an axis. */
    public Tensor logSoftmax(int axis) {
        return sub(logSumExp(axis, true));
    }

    /** softmax over an axis. */
    public Tensor softmax(int axis) {
        return logSoftmax(axis).exp();
    }

    /**
     * Picks, for each row of a {@code [batch, classes]} tensor, the entry at {@code index[row]};
     * result {@code [batch]}. Inside a {@link Replay} recording, {@code index} is read again on
     * every replay, so it must be the array the replaying code refills (a batch's own labels).
     */
    public Tensor gather(int[] index) {
        Shapes.require("gather", "x", this, index.length, -1);
        return mul(oneHot(index, size(1), dtype())).sum(false, 1);
    }

    /**
     * The constant {@code [index.length, classes]} with a 1 at {@code (i, index[i])} and 0
     * elsewhere. Inside a {@link Replay} recording, {@code index} is read again on every replay,
     * so it must be the array the replaying code refills (a batch's own labels).
     */
    public static Tensor oneHot(int[] index, long classes, DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("oneHot: type expected FLOAT or DOUBLE but got " + type);
        }
        INDArray oneHot = alloc(type, new long[] {index.length, classes});
        // The kernel reads the label array by reference: a replayed step sees the labels that
        // its owner copied into this same array.
        Replay.exec((in, o) -> fillOneHot(index, classes, o[0]), new INDArray[0], oneHot);
        return constant(oneHot);
    }

    /**
     * Writes the one-hot rows of {@code index} into {@code out} ({@code [index.length, classes]},
     * row-major from the start of its own data buffer, as {@link #alloc} makes it) straight through
     * its native buffer: ND4J's {@code assign(0)} and {@code putScalar} build an op or check
     * bounds per call, which cost more than the whole loss on a small batch.
     */
    private static void fillOneHot(int[] index, long classes, INDArray out) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= classes) {
                throw new IllegalArgumentException("gather: index[" + i + "] expected in [0, " + classes
                        + ") but got " + index[i]);
            }
        }
        java.nio.ByteBuffer bytes = out.data().asNio().order(java.nio.ByteOrder.nativeOrder());
        int n = Math.toIntExact(out.length());
        if (out.dataType() == DataType.DOUBLE) {
            java.nio.DoubleBuffer d = bytes.asDoubleBuffer();
            for (int j = 0; j < n; j++) {
                d.put(j, 0.0);
            }
            for (int i = 0; i < index.length; i++) {
                d.put(Math.toIntExact(i * classes + index[i]), 1.0);
            }
        } else {
            java.nio.FloatBuffer f = bytes.asFloatBuffer();
            for (int j = 0; j < n; j++) {
                f.put(j, 0f);
            }
            for (int i = 0; i < index.length; i++) {
                f.put(Math.toIntExact(i * classes + index[i]), 1f);
            }
        }
    }

    /**
     * As {@link #gather(int[])} with the class indices held in a tensor {@code [batch]} (any
     * float type, integral values), so that a recorded step reads new labels on replay.
     */
    public Tensor gather(Tensor index) {
        Shapes.require("gather", "x", this, -1, -1);
        Shapes.require("gather", "index", index, size(0));
        long classes = size(1);
        INDArray oneHot = alloc(dtype(), shape());
        Replay.exec((in, o) -> {
            double[] idx = in[0].dup('c').castTo(DataType.DOUBLE).data().asDouble();
            o[0].assign(0);
            for (int i = 0; i < idx.length; i++) {
                int c = (int) idx[i];
                if (c != idx[i] || c < 0 || c >= classes) {
                    throw new IllegalArgumentException("gather: index[" + i + "] expected an integer in [0, " + classes
                            + ") but got " + idx[i]);
                }
                o[0].putScalar(i, c, 1.0);
            }
        }, new INDArray[] {index.value}, oneHot);
        return mul(constant(oneHot)).sum(false, 1);
    }

    // ------------------------------------------------------------------ linear algebra

    /** Matrix product of rank-2 tensors, or batched over a leading axis for rank 3. */
    public Tensor matmul(Tensor other) {
        return matmul(other, false, false);
    }

    /**
     * Matrix product {@code op(this) · op(other)} with {@code op} the transpose when asked
     * (rank 2, or rank 3 batched over the leading axis with equal batch sizes).
     */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        if (other.dtype() != dtype()) {
            throw new IllegalArgumentException("matmul: operands expected the same element type but got "
                    + dtype() + " and " + other.dtype());
        }
        if (rank() != other.rank() || rank() < 2 || rank() > 3) {
            throw new IllegalArgumentException("matmul: expected two rank-2 or two rank-3 tensors but got shapes "
                    + Shapes.str(shape()) + " and " + Shapes.str(other.shape()));
        }
        int r = rank();
        long inner = transposeThis ? size(r - 2) : size(r - 1);
        long innerOther = transposeOther ? other.size(r - 1) : other.size(r - 2);
        if (inner != innerOther || (r == 3 && size(0) != other.size(0))) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(shape())
                    + (transposeThis ? "ᵀ" : "") + " and " + Shapes.str(other.shape()) + (transposeOther ? "ᵀ" : "")
                    + " do not match (inner dimensions " + inner + " vs " + innerOther + ")");
        }
        long m = transposeThis ? size(r - 1) : size(r - 2);
        long n = transposeOther ? other.size(r - 2) : other.size(r - 1);
        INDArray out = r == 2 ? alloc(dtype(), m, n) : alloc(dtype(), size(0), m, n);
        Replay.exec(new MatmulKernel(transposeThis, transposeOther), new INDArray[] {value, other.value}, out);
        Tensor a = this;
        return fromOp("matmul", out, g -> new Tensor[] {
            !a.requiresGrad ? null : transposeThis ? other.matmul(g, transposeOther, true) : g.matmul(other, false, !transposeOther),
            !other.requiresGrad ? null : transposeOther ? g.matmul(a, true, transposeThis) : a.matmul(g, !transposeThis, false)},
            this, other);
    }

    /** Transpose of a rank-2 tensor, or of the last two axes of a rank-3 tensor. */
    public Tensor transpose() {
        if (rank() == 2) {
            return permute(1, 0);
        }
        if (rank() == 3) {
            return permute(0, 2, 1);
        }
        throw new IllegalArgumentException("transpose: expected rank 2 or 3 but got shape " + Shapes.str(shape()));
    }

    /** The matrix exponential of a square matrix, differentiable to any order; see {@link MatrixExponential}. */
    public Tensor expm() {
        return MatrixExponential.expm(this);
    }

    // ------------------------------------------------------------------ shape ops

    /** Reorders axes. */
    public Tensor permute(int... axes) {
        if (axes.length != rank()) {
            throw new IllegalArgumentException("permute: expected " + rank() + " axes but got " + Arrays.toString(axes));
        }
        int[] inverse = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            inverse[Shapes.axis("permute", axes[i], rank())] = i;
        }
        INDArray out = alloc(dtype(), value.permute(axes).shape());
        Replay.exec(NativeKernel.copy(), new INDArray[] {value.permute(axes)}, out);
        return fromOp("permute", out, g -> new Tensor[] {g.permute(inverse)}, this);
    }

    /** Same elements in a new shape (row-major); one entry may be -1. */
    public Tensor reshape(long... newShape) {
        long[] s = shape();
        long[] target = newShape.clone();
        long known = 1;
        int free = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1 && free < 0) {
                free = i;
            } else {
                known *= target[i];
            }
        }
        if (free >= 0 && known > 0) {
            target[free] = length() / known;
        }
        if (Shapes.size(target) != length()) {
            throw new IllegalArgumentException("reshape: cannot view shape " + Shapes.str(s) + " ("
                    + length() + " elements) as " + Shapes.str(newShape));
        }
        if (Arrays.equals(target, s)) {
            return this;
        }
        INDArray out = ResultArrays.reshaped(value, target);
        if (out == null && value.ordering() == 'c' && value.elementWiseStride() == 1) {
            INDArray view = value.reshape('c', target);
            if (view.data() == value.data() || view.data().address() == value.data().address()) {
                out = view;   // shares storage: nothing to replay
            }
        }
        if (out == null) {
            out = alloc(dtype(), target);
            INDArray shaped = ResultArrays.reshaped(out, s);
            Replay.exec(NativeKernel.copy(), new INDArray[] {value}, shaped != null ? shaped : out.reshape('c', s));
        }
        return fromOp("reshape", out, g -> new Tensor[] {g.reshape(s)}, this);
    }

    /** Flattens every axis after the first: {@code [batch, ...] → [batch, features]}. */
    public Tensor flatten() {
        return reshape(size(0), -1);
    }

    /** Broadcasts to a larger shape (NumPy rules); the gradient sums back. */
    public Tensor broadcastTo(long... target) {
        long[] s = shape();
        if (Arrays.equals(s, target)) {
            return this;
        }
        long[] check = Shapes.broadcast("broadcastTo", s, target);
        if (!Arrays.equals(check, target)) {
            throw new IllegalArgumentException("broadcastTo: shape " + Shapes.str(s) + " cannot be broadcast to "
                    + Shapes.str(target));
        }
        long[] padded = padShape(s, target.length);
        INDArray out = alloc(dtype(), target);
        INDArray source = ResultArrays.reshaped(value, padded);
        if (source == null) {
            source = sharedView(value, value.reshape('c', padded));
        }
        if (source != null) {
            // assign broadcasts its second operand over the first's shape: out ← source, in place
            NativeKernel.of("assign").exec(new INDArray[] {out, source}, out);
        } else {
            Replay.exec((in, o) -> o[0].assign(in[0].reshape('c', padded).broadcast(target)), new INDArray[] {value}, out);
        }
        return fromOp("broadcastTo", out, g -> new Tensor[] {g.sumToShape(s)}, this);
    }

    /**
     * Sums a broadcast result back to {@code target}: the one place where broadcast gradients
     * are reduced (leading axes summed away, axes of size 1 summed with keepDims).
     */
    public Tensor sumToShape(long... target) {
        long[] s = shape();
        if (Arrays.equals(s, target)) {
            return this;
        }
        int lead = s.length - target.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sumToShape: cannot reduce shape " + Shapes.str(s) + " to larger rank "
                    + Shapes.str(target));
        }
        int[] axes = new int[s.length];
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i < lead || (target[i - lead] == 1 && s[i] != 1)) {
                axes[n++] = i;
            } else if (target[i - lead] != s[i]) {
                throw new IllegalArgumentException("sumToShape: shape " + Shapes.str(s) + " does not broadcast from "
                        + Shapes.str(target));
            }
        }
        Tensor r = n == 0 ? this : sum(true, Arrays.copyOf(axes, n));
        return r.reshape(target);
    }

    /**
     * The block {@code [start, start + size)} along every axis; see {@link #slice} for one axis.
     * The gradient embeds back into zeros.
     */
    public Tensor region(long[] start, long[] size) {
        long[] s = shape();
        if (start.length != s.length || size.length != s.length) {
            throw new IllegalArgumentException("region: expected " + s.length + " starts and sizes but got "
                    + start.length + " and " + size.length);
        }
        INDArrayIndex[] idx = new INDArrayIndex[s.length];
        for (int i = 0; i < s.length; i++) {
            if (start[i] < 0 || size[i] < 0 || start[i] + size[i] > s[i]) {
                throw new IllegalArgumentException("region: axis " + i + " range [" + start[i] + ", "
                        + (start[i] + size[i]) + ") outside [0, " + s[i] + ")");
            }
            idx[i] = NDArrayIndex.interval(start[i], start[i] + size[i]);
        }
        INDArray out = alloc(dtype(), size);
        Replay.exec(NativeKernel.copy(), new INDArray[] {value.get(idx)}, out);
        return fromOp("region", out, g -> new Tensor[] {g.embed(s, start)}, this);
    }

    /**
     * Places this tensor inside zeros of shape {@code full} at offset {@code start} (the
     * adjoint of {@link #region}).
     */
    public Tensor embed(long[] full, long[] start) {
        long[] s = shape();
        INDArrayIndex[] idx = new INDArrayIndex[s.length];
        for (int i = 0; i < s.length; i++) {
            if (start[i] < 0 || start[i] + s[i] > full[i]) {
                throw new IllegalArgumentException("embed: axis " + i + " block [" + start[i] + ", "
                        + (start[i] + s[i]) + ") outside [0, " + full[i] + ")");
            }
            idx[i] = NDArrayIndex.interval(start[i], start[i] + s[i]);
        }
        INDArray out = alloc(dtype(), full);
        Replay.exec(NativeKernel.of("zeros_as"), new INDArray[] {out}, out);
        Replay.exec(NativeKernel.copy(), new INDArray[] {value}, out.get(idx));
        return fromOp("embed", out, g -> new Tensor[] {g.region(start, s)}, this);
    }

    /** Elements {@code [start, end)} along one axis. */
    public Tensor slice(int axis, long start, long end) {
        int a = Shapes.axis("slice", axis, rank());
        long[] st = new long[rank()];
        long[] sz = shape();
        st[a] = start;
        sz[a] = end - start;
        return region(st, sz);
    }

    /** Zero padding: {@code before[i]} and {@code after[i]} zeros along axis i. */
    public Tensor pad(long[] before, long[] after) {
        long[] s = shape();
        if (before.length != s.length || after.length != s.length) {
            throw new IllegalArgumentException("pad: expected " + s.length + " paddings per side but got "
                    + before.length + " and " + after.length);
        }
        long[] full = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            full[i] = s[i] + before[i] + after[i];
        }
        return embed(full, before);
    }

    /** Joins tensors along an existing axis. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: expected at least one tensor but got none");
        }
        int a = Shapes.axis("concat", axis, parts[0].rank());
        INDArray[] arrays = new INDArray[parts.length];
        long[] offsets = new long[parts.length];
        long offset = 0;
        for (int i = 0; i < parts.length; i++) {
            long[] si = parts[i].shape();
            long[] s0 = parts[0].shape();
            boolean ok = si.length == s0.length && parts[i].dtype() == parts[0].dtype();
            for (int d = 0; ok && d < si.length; d++) {
                ok = d == a || si[d] == s0[d];
            }
            if (!ok) {
                throw new IllegalArgumentException("concat: part " + i + " expected shape like " + Shapes.str(s0)
                        + " (except axis " + a + ") and type " + parts[0].dtype() + " but got "
                        + Shapes.str(si) + " " + parts[i].dtype());
            }
            arrays[i] = parts[i].value;
            offsets[i] = offset;
            offset += si[a];
        }
        long[] outShape = parts[0].shape();
        outShape[a] = offset;
        INDArray out = alloc(parts[0].dtype(), outShape);
        Replay.exec(NativeKernel.of("concat", new double[0], new long[] {a}), arrays, out);
        return fromOp("concat", out, g -> {
            Tensor[] grads = new Tensor[parts.length];
            for (int i = 0; i < parts.length; i++) {
                grads[i] = g.slice(a, offsets[i], offsets[i] + parts[i].size(a));
            }
            return grads;
        }, parts);
    }

    /** Stacks equal-shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("stack: expected at least one tensor but got none");
        }
        int a = axis < 0 ? axis + parts[0].rank() + 1 : axis;
        Tensor[] expanded = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long[] s = parts[i].shape();
            long[] e = new long[s.length + 1];
            for (int d = 0, k = 0; d < e.length; d++) {
                e[d] = d == a ? 1 : s[k++];
            }
            expanded[i] = parts[i].reshape(e);
        }
        return concat(a, expanded);
    }

    // ------------------------------------------------------------------ convolution and pooling

    /** 2-D convolution, see {@link Convolution#conv2d}. */
    public Tensor conv2d(Tensor weight, ConvGeometry geometry) {
        return Convolution.conv2d(this, weight, geometry);
    }

    /** 2-D convolution plus a per-channel bias {@code [O]}, see {@link Convolution#conv2d(Tensor, Tensor, Tensor, ConvGeometry)}. */
    public Tensor conv2d(Tensor weight, Tensor bias, ConvGeometry geometry) {
        return Convolution.conv2d(this, weight, bias, geometry);
    }

    /** {@code σ(conv2d(x, W) + b)} with a leaky ReLU of slope ≥ 0, see {@link Convolution#conv2dLeakyRelu}. */
    public Tensor conv2dLeakyRelu(Tensor weight, Tensor bias, double slope, ConvGeometry geometry) {
        return Convolution.conv2dLeakyRelu(this, weight, bias, slope, geometry);
    }

    /** Transposed 2-D convolution (the adjoint of {@link #conv2d}), see {@link Convolution#convTranspose2d}. */
    public Tensor convTranspose2d(Tensor weight, ConvGeometry geometry, long outHeight, long outWidth) {
        return Convolution.convTranspose2d(this, weight, geometry, outHeight, outWidth);
    }

    /**
     * Average pooling over non-overlapping {@code k × k} windows of a {@code [B, C, H, W]} tensor
     * (H and W divisible by k): the mean over the window axes of the {@code [B, C, H/k, k, W/k, k]}
     * view — on oneDNN's pooling for contiguous float32 ({@link OneDnnPooling}), else libnd4j's
     * mean over that view. Its adjoint, {@link #upsample2d} divided by k², is its backward, so it
     * has derivatives of any order.
     */
    public Tensor avgPool2d(int k) {
        checkWindows("avgPool2d", k);
        INDArray out = alloc(dtype(), size(0), size(1), size(2) / k, size(3) / k);
        if (OneDnnPooling.accepts(value)) {
            Replay.exec(OneDnnPooling.forward(k), new INDArray[] {value}, out);
        } else {
            INDArray windows = reshape(size(0), size(1), size(2) / k, k, size(3) / k, k).value;
            NativeKernel.of("reduce_mean", new double[0], new long[] {3, 5}).exec(new INDArray[] {windows}, out);
        }
        return fromOp("avgPool2d", out, g -> new Tensor[] {g.avgPool2dAdjoint(k)}, this);
    }

    /**
     * {@code upsample2d(x, k) / k²}, the adjoint and backward of {@link #avgPool2d}: one oneDNN
     * pooling backward for contiguous float32, else the two operations. Its backward is
     * {@code avgPool2d}.
     */
    private Tensor avgPool2dAdjoint(int k) {
        if (!OneDnnPooling.accepts(value)) {
            return div((double) k * k).upsample2d(k);
        }
        INDArray out = alloc(dtype(), size(0), size(1), size(2) * k, size(3) * k);
        Replay.exec(OneDnnPooling.backward(k), new INDArray[] {value}, out);
        return fromOp("avgPool2dAdjoint", out, g -> new Tensor[] {g.avgPool2d(k)}, this);
    }

    /**
     * Nearest-neighbour upsampling of a {@code [B, C, H, W]} tensor by k: each pixel becomes a
     * {@code k × k} block, {@code [B, C, kH, kW]}. Its adjoint is the sum over the blocks
     * ({@link #avgPool2d} times k²), which is its backward.
     */
    public Tensor upsample2d(int k) {
        if (rank() != 4 || k < 1) {
            throw new IllegalArgumentException("upsample2d: expected [batch, channels, height, width] and a factor k ≥ 1"
                    + " but got shape " + Shapes.str(shape()) + " and k = " + k);
        }
        INDArray out = alloc(dtype(), size(0), size(1), size(2) * k, size(3) * k);
        NativeKernel.of("upsampling2d", new double[0], new long[] {k, k, 1}).exec(new INDArray[] {value}, out);
        double area = (double) k * k;
        return fromOp("upsample2d", out, g -> new Tensor[] {g.avgPool2d(k).mul(area)}, this);
    }

    /** Max pooling over non-overlapping {@code k × k} windows; see {@link #avgPool2d}. */
    public Tensor maxPool2d(int k) {
        checkWindows("maxPool2d", k);
        return reshape(size(0), size(1), size(2) / k, k, size(3) / k, k).max(false, 3, 5);
    }

    private void checkWindows(String op, int k) {
        if (rank() != 4 || k < 1 || size(2) % k != 0 || size(3) % k != 0) {
            throw new IllegalArgumentException(op + ": expected [batch, channels, height, width] with height and width "
                    + "divisible by the window " + k + " but got shape " + Shapes.str(shape()));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Copies its one input into its one output (views are set up once, outside the kernel). */

    /** {@code view} if it shares {@code base}'s storage (so a replay sees new data), else null. */
    private static INDArray sharedView(INDArray base, INDArray view) {
        return view.data() == base.data() || view.data().address() == base.data().address() ? view : null;
    }

    /**
     * A new uninitialised row-major array, the output buffer of an operation: every operation
     * allocates through here, so an open {@link Intermediates} scope owns it.
     */
    static INDArray alloc(DataType type, long... shape) {
        return Intermediates.allocate(type, shape);
    }

    private INDArray unary(Kernel k) {
        INDArray out = alloc(dtype(), shape());
        Replay.exec(k, new INDArray[] {value}, out);
        return out;
    }

    private int[] normaliseAxes(String name, int[] axes) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = Shapes.axis(name, axes[i], rank());
        }
        Arrays.sort(out);
        return out;
    }

    private static long[] keptShape(long[] s, int[] axes) {
        long[] k = s.clone();
        for (int a : axes) {
            k[a] = 1;
        }
        return k;
    }

    private static long[] removeAxes(long[] s, int[] axes) {
        long[] out = new long[s.length - axes.length];
        for (int i = 0, k = 0; i < s.length; i++) {
            if (Arrays.binarySearch(axes, i) < 0) {
                out[k++] = s[i];
            }
        }
        return out;
    }

    private static long[] onesShape(int rank) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        return s;
    }

    private static long[] padShape(long[] s, int rank) {
        long[] out = onesShape(rank);
        System.arraycopy(s, 0, out, rank - s.length, s.length);
        return out;
    }

    /** Marker rule for a graph whose backward was already run without {@code retainGraph}. */
    private enum ReleasedGraph implements Backward {
        INSTANCE;

        @Override
        public Tensor[] apply(Tensor gradOutput) {
            throw new IllegalStateException("backward: this graph was already differentiated and released; "
                    + "pass retainGraph = true to the first backward pass to differentiate it again");
        }
    }
}
