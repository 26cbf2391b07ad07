package io.structflow.core.autodiff;

import io.structflow.core.nn.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradient-flow step, the hot layer of structflow, as one fused operation with a
 * hand-written backward (dense and convolutional).
 *
 * <pre>
 *   dense:  y = x + s·h·Aᵀσ(Ax + b)          x [B, n], A [m, n], b [m], h scalar
 *   conv:   y = x + s·h·Kᵀσ(Kx + b)          x [B, C, H, W], K [O, C, k, k], b [O]
 * </pre>
 * with {@code s = −1} for the contractive (non-expansive) step of [CMOSS] (3.5) and
 * {@code s = +1} for the expansive step (3.7); {@code Kᵀ} is the transposed convolution with the
 * same kernel ([M-slides], code snippet 2). Batch-first: {@code Ax} is computed as
 * {@code x Aᵀ}.
 *
 * <p>Backward, with {@code z = Ax + b}, {@code u = A g} (per sample), {@code v = σ'(z) ⊙ u}:
 * <pre>
 *   ∂x = g + s·h·Aᵀv     ∂A = s·h·(σ(z) gᵀ + v xᵀ)     ∂b = s·h·Σ v     ∂h = s·Σ u ⊙ σ(z)
 * </pre>
 * The dense forward is 2 gemm calls plus the activation; the backward 4 gemm calls, the
 * activation's derivative and two reductions, with every {@code −h} folded into a gemm's alpha
 * (see {@code shared/ND4J-PERF.md}). When the backward pass is itself recorded (second
 * derivatives), the rule falls back to the same step composed from primitive tensor ops, which
 * is differentiable to any order.
 */
public final class FusedGradientFlow {
    private FusedGradientFlow() {
    }

    /**
     * Dense step {@code x + s·h·Aᵀσ(Ax + b)}.
     *
     * @param x     [batch, n], not mutated
     * @param a     A, [m, n]
     * @param b     [m]
     * @param h     step, one element
     * @param sign  +1 (expansive) or −1 (contractive)
     * @param sigma activation
     * @return [batch, n]
     */
    public static Tensor dense(Tensor x, Tensor a, Tensor b, Tensor h, int sign, Activation sigma) {
        checkSign(sign);
        if (a.rank() != 2) {
            throw new IllegalArgumentException("FusedGradientFlow.dense: A expected [m, n] but got shape " + Shapes.str(a.shape()));
        }
        long m = a.size(0);
        long n = a.size(1);
        Shapes.require("FusedGradientFlow.dense", "x", x, -1, n);
        Shapes.require("FusedGradientFlow.dense", "b", b, m);
        checkStep(h);
        checkTypes(x, a, b, h);
        double sh = sign * h.item();
        INDArray xv = x.value();
        INDArray av = a.value();
        INDArray z = Nd4j.createUninitialized(x.dtype(), new long[] {x.size(0), m}, 'c');
        Nd4j.gemm(xv, av, z, false, true, 1.0, 0.0);
        z.addiRowVector(b.value());
        INDArray s1 = sigma.applyArray(z);
        INDArray y = xv.dup('c');
        Nd4j.gemm(s1, av, y, false, false, sh, 1.0);
        return Tensor.fromOp("gradientFlow", y, g -> {
            if (GradMode.isEnabled()) {
                return composedBackward(g, x, a, b, h, in -> composedDense(in[0], in[1], in[2], in[3], sign, sigma));
            }
            INDArray gv = g.value();
            INDArray u = Nd4j.createUninitialized(x.dtype(), z.shape(), 'c');
            Nd4j.gemm(gv, av, u, false, true, 1.0, 0.0);
            INDArray v = sigma.backwardArray(z, s1, u);
            Tensor gx = null;
            if (x.requiresGrad()) {
                INDArray gxv = gv.dup('c');
                Nd4j.gemm(v, av, gxv, false, false, sh, 1.0);
                gx = Tensor.constant(gxv);
            }
            Tensor ga = null;
            if (a.requiresGrad()) {
                INDArray gav = Nd4j.createUninitialized(x.dtype(), new long[] {m, n}, 'c');
                Nd4j.gemm(s1, gv, gav, true, false, sh, 0.0);
                Nd4j.gemm(v, xv, gav, true, false, sh, 1.0);
                ga = Tensor.constant(gav);
            }
            Tensor gb = b.requiresGrad() ? Tensor.constant(v.sum(0).muli(sh)) : null;
            Tensor gh = h.requiresGrad() ? stepGradient(h, sign * dot(u, s1)) : null;
            return new Tensor[] {gx, ga, gb, gh};
        }, x, a, b, h);
    }

    /**
     * Convolutional step {@code x + s·h·Kᵀσ(Kx + b)}, stride 1 and "same" padding (k odd).
     *
     * @param x      [batch, C, H, W], not mutated
     * @param kernel K, [O, C, k, k]
     * @param b      [O]
     * @param h      step, one element
     * @param sign   +1 (expansive) or −1 (contractive)
     * @param sigma  activation
     * @return [batch, C, H, W]
     */
    public static Tensor conv(Tensor x, Tensor kernel, Tensor b, Tensor h, int sign, Activation sigma) {
        checkSign(sign);
        if (kernel.rank() != 4 || kernel.size(2) != kernel.size(3) || kernel.size(2) % 2 == 0) {
            throw new IllegalArgumentException("FusedGradientFlow.conv: kernel expected [O, C, k, k] with k odd but got shape "
                    + Shapes.str(kernel.shape()));
        }
        long o = kernel.size(0);
        Shapes.require("FusedGradientFlow.conv", "x", x, -1, kernel.size(1), -1, -1);
        Shapes.require("FusedGradientFlow.conv", "b", b, o);
        checkStep(h);
        checkTypes(x, kernel, b, h);
        ConvGeometry geometry = ConvGeometry.same((int) kernel.size(2));
        long[] ks = kernel.shape();
        double sh = sign * h.item();
        INDArray xv = x.value();
        INDArray kv = kernel.value();
        long[] zShape = {x.size(0), o, x.size(2), x.size(3)};
        INDArray z = Nd4j.createUninitialized(x.dtype(), zShape, 'c');
        Convolution.exec("conv2d", geometry, ks, new INDArray[] {xv, kv, b.value()}, new INDArray[] {z});
        INDArray s1 = sigma.applyArray(z);
        INDArray y = Nd4j.createUninitialized(x.dtype(), x.shape(), 'c');
        Convolution.exec("deconv2d", geometry, ks, new INDArray[] {s1, kv}, new INDArray[] {y});
        y.muli(sh).addi(xv);
        return Tensor.fromOp("convGradientFlow", y, g -> {
            if (GradMode.isEnabled()) {
                return composedBackward(g, x, kernel, b, h, in -> composedConv(in[0], in[1], in[2], in[3], sign, sigma));
            }
            INDArray gv = g.value();
            INDArray u = Nd4j.createUninitialized(x.dtype(), zShape, 'c');
            Convolution.exec("conv2d", geometry, ks, new INDArray[] {gv, kv}, new INDArray[] {u});
            INDArray v = sigma.backwardArray(z, s1, u);
            // conv2d_bp(x, K, v) gives Kᵀv and the weight gradient of (x, v) in one call
            INDArray ktv = Nd4j.createUninitialized(x.dtype(), x.shape(), 'c');
            INDArray gk = Nd4j.createUninitialized(x.dtype(), ks, 'c');
            Convolution.exec("conv2d_bp", geometry, ks, new INDArray[] {xv, kv, v}, new INDArray[] {ktv, gk});
            Tensor gx = x.requiresGrad() ? Tensor.constant(ktv.muli(sh).addi(gv)) : null;
            Tensor gkt = null;
            if (kernel.requiresGrad()) {
                INDArray unused = Nd4j.createUninitialized(x.dtype(), x.shape(), 'c');
                INDArray gk1 = Nd4j.createUninitialized(x.dtype(), ks, 'c');
                Convolution.exec("conv2d_bp", geometry, ks, new INDArray[] {gv, kv, s1}, new INDArray[] {unused, gk1});
                gkt = Tensor.constant(gk.addi(gk1).muli(sh));
            }
            Tensor gb = b.requiresGrad() ? Tensor.constant(v.sum(0, 2, 3).muli(sh)) : null;
            Tensor gh = h.requiresGrad() ? stepGradient(h, sign * dot(u, s1)) : null;
            return new Tensor[] {gx, gkt, gb, gh};
        }, x, kernel, b, h);
    }

    /** The dense step from primitive ops (reference and higher-order fallback). */
    public static Tensor composedDense(Tensor x, Tensor a, Tensor b, Tensor h, int sign, Activation sigma) {
        Tensor field = sigma.apply(x.matmul(a, false, true).add(b)).matmul(a);
        return x.add(field.mul(h.reshape()).mul(sign));
    }

    /** The conv step from primitive ops (reference and higher-order fallback). */
    public static Tensor composedConv(Tensor x, Tensor kernel, Tensor b, Tensor h, int sign, Activation sigma) {
        ConvGeometry geometry = ConvGeometry.same((int) kernel.size(2));
        Tensor z = x.conv2d(kernel, geometry).add(b.reshape(1, b.size(0), 1, 1));
        Tensor field = sigma.apply(z).convTranspose2d(kernel, geometry, x.size(2), x.size(3));
        return x.add(field.mul(h.reshape()).mul(sign));
    }

    private static Tensor[] composedBackward(Tensor g, Tensor x, Tensor p, Tensor b, Tensor h,
                                             java.util.function.Function<Tensor[], Tensor> composed) {
        Tensor[] all = {x, p, b, h};
        java.util.List<Tensor> wanted = new java.util.ArrayList<>();
        for (Tensor t : all) {
            if (t.requiresGrad()) {
                wanted.add(t);
            }
        }
        Tensor y = composed.apply(all);
        Tensor[] grads = Autograd.grad(new Tensor[] {y}, new Tensor[] {g}, wanted.toArray(new Tensor[0]), true, true);
        Tensor[] out = new Tensor[4];
        for (int i = 0, k = 0; i < 4; i++) {
            out[i] = all[i].requiresGrad() ? grads[k++] : null;
        }
        return out;
    }

    private static double dot(INDArray u, INDArray s1) {
        return u.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).mul(s1.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).sumNumber().doubleValue();
    }

    private static Tensor stepGradient(Tensor h, double value) {
        return Tensor.constant(Nd4j.valueArrayOf(h.shape(), value, h.dtype()));
    }

    private static void checkSign(int sign) {
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("FusedGradientFlow: sign expected +1 (expansive) or -1 (contractive) but got " + sign);
        }
    }

    private static void checkStep(Tensor h) {
        if (h.length() != 1) {
            throw new IllegalArgumentException("FusedGradientFlow: h expected one element but got shape " + Shapes.str(h.shape()));
        }
        double v = h.item();
        if (!Double.isFinite(v)) {
            throw new ArithmeticException("FusedGradientFlow: step h is " + v);
        }
    }

    private static void checkTypes(Tensor... ts) {
        for (Tensor t : ts) {
            if (t.dtype() != ts[0].dtype()) {
                throw new IllegalArgumentException("FusedGradientFlow: operands expected one element type but got "
                        + ts[0].dtype() + " and " + t.dtype());
            }
        }
    }
}
