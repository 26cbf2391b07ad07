package io.structflow.core.autodiff;

import org.nd4j.linalg.api.buffer.DataType;
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
 * (see {@code shared/ND4J-PERF.md}). The float32 convolutional step on oneDNN likewise folds
 * {@code s·h} into the transposed convolution's kernel ({@link OneDnnConvolution#runScaled}),
 * applies a leaky ReLU as the convolution's post-op and reads σ' from σ(z) (z is not stored; see
 * {@link ElementwiseMap#leakyReluSlope}), and takes Σ v from the weight-gradient call. When the backward pass is itself recorded (second
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
    public static Tensor dense(Tensor x, Tensor a, Tensor b, Tensor h, int sign, ElementwiseMap sigma) {
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
        DataType t = x.dtype();
        long batch = x.size(0);
        INDArray zb = Tensor.alloc(t, batch, m);
        INDArray s1 = Tensor.alloc(t, batch, m);
        INDArray y = Tensor.alloc(t, batch, n);
        Kernel activation = sigma.forwardKernel();
        NativeKernel linear = matmul(false, true, 0.0);
        NativeKernel addBias = NativeKernel.of("add");
        NativeKernel field = matmul(false, false, 0.0);
        NativeKernel addInput = NativeKernel.of("add");
        // zb = x Aᵀ + b;  s1 = σ(zb);  y = s·h·(s1 A) + x, with s·h the gemm's alpha
        Replay.exec((in, out) -> {
            linear.run(new INDArray[] {in[0], in[1]}, new INDArray[] {out[1]});
            addBias.run(new INDArray[] {out[1], in[2]}, new INDArray[] {out[1]});
            activation.run(new INDArray[] {out[1]}, new INDArray[] {out[2]});
            field.setFloatArguments(sign * in[3].getDouble(0), 0.0);
            field.run(new INDArray[] {out[2], in[1]}, new INDArray[] {out[0]});
            addInput.run(new INDArray[] {out[0], in[0]}, new INDArray[] {out[0]});
        }, new INDArray[] {x.value(), a.value(), b.value(), h.value()}, y, zb, s1);
        return Tensor.fromOp("gradientFlow", y, g -> {
            if (GradMode.isEnabled()) {
                return composedBackward(g, x, a, b, h, in -> composedDense(in[0], in[1], in[2], in[3], sign, sigma));
            }
            boolean[] wanted = {x.requiresGrad(), a.requiresGrad(), b.requiresGrad(), h.requiresGrad()};
            INDArray[] grads = {wanted[0] ? Tensor.alloc(t, batch, n) : null, wanted[1] ? Tensor.alloc(t, m, n) : null,
                wanted[2] ? Tensor.alloc(t, m) : null, wanted[3] ? Tensor.alloc(t) : null};
            // u = g Aᵀ, v = σ'(zb) ⊙ u and u ⊙ s1 live in per-thread work arrays: used only inside this rule
            INDArray[] work = Scratch.arrays("dense", t, new long[] {batch, m}, 3);
            Kernel activationBackward = sigma.backwardKernel();
            NativeKernel project = matmul(false, true, 0.0);
            NativeKernel inputGrad = matmul(false, false, 0.0);
            NativeKernel addOutputGrad = NativeKernel.of("add");
            NativeKernel weightGradField = matmul(true, false, 0.0);
            NativeKernel weightGradLinear = matmul(true, false, 1.0);
            NativeKernel biasSum = NativeKernel.of("reduce_sum", new double[0], new long[] {0});
            NativeKernel biasScale = NativeKernel.of("multiply");
            NativeKernel product = NativeKernel.of("multiply");
            NativeKernel stepSum = NativeKernel.of("reduce_sum");
            NativeKernel stepScale = NativeKernel.of("multiply");
            INDArray biasFactor = Scratch.scalar(t, 0);
            INDArray stepFactor = Scratch.scalar(t, 1);
            Replay.exec((in, out) -> {
                INDArray gv = in[0];
                double sh = sign * in[3].getDouble(0);
                INDArray u = out[4];
                INDArray v = out[5];
                project.run(new INDArray[] {gv, in[2]}, new INDArray[] {u});
                activationBackward.run(new INDArray[] {in[4], u}, new INDArray[] {v});
                if (wanted[0]) {   // ∂x = g + s·h·v A
                    inputGrad.setFloatArguments(sh, 0.0);
                    inputGrad.run(new INDArray[] {v, in[2]}, new INDArray[] {out[0]});
                    addOutputGrad.run(new INDArray[] {out[0], gv}, new INDArray[] {out[0]});
                }
                if (wanted[1]) {   // ∂A = s·h·(s1ᵀ g + vᵀ x)
                    weightGradField.setFloatArguments(sh, 0.0);
                    weightGradField.run(new INDArray[] {in[5], gv}, new INDArray[] {out[1]});
                    weightGradLinear.setFloatArguments(sh, 1.0);
                    weightGradLinear.run(new INDArray[] {v, in[1]}, new INDArray[] {out[1]});
                }
                if (wanted[2]) {   // ∂b = s·h·Σ_rows v
                    out[7].putScalar(0, sh);
                    biasSum.run(new INDArray[] {v}, new INDArray[] {out[2]});
                    biasScale.run(new INDArray[] {out[2], out[7]}, new INDArray[] {out[2]});
                }
                if (wanted[3]) {   // ∂h = s·Σ u ⊙ s1
                    out[8].putScalar(0, sign);
                    product.run(new INDArray[] {u, in[5]}, new INDArray[] {out[6]});
                    stepSum.run(new INDArray[] {out[6]}, new INDArray[] {out[3]});
                    stepScale.run(new INDArray[] {out[3], out[8]}, new INDArray[] {out[3]});
                }
            }, new INDArray[] {g.value(), x.value(), a.value(), h.value(), zb, s1},
                    grads[0], grads[1], grads[2], grads[3], work[0], work[1], work[2], biasFactor, stepFactor);
            Tensor[] out = constants(grads, wanted);
            if (out[3] != null && h.rank() != 0) {
                out[3] = out[3].reshape(h.shape());
            }
            return out;
        }, x, a, b, h);
    }

    /** {@code out = op(x)·op(y) + beta·out}. */
    private static NativeKernel matmul(boolean transposeX, boolean transposeY, double beta) {
        return NativeKernel.of("matmul", new double[] {1.0, beta}, new long[] {transposeX ? 1 : 0, transposeY ? 1 : 0});
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
    public static Tensor conv(Tensor x, Tensor kernel, Tensor b, Tensor h, int sign, ElementwiseMap sigma) {
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
        long[] zShape = {x.size(0), o, x.size(2), x.size(3)};
        boolean direct = OneDnnConvolution.supports(x.dtype(), geometry, ks);
        // a leaky ReLU runs inside oneDNN's convolution, and its derivative is read from σ(z): z is not stored
        boolean fusedActivation = direct && !Double.isNaN(sigma.leakyReluSlope());
        INDArray y = Tensor.alloc(x.dtype(), x.shape());
        INDArray s1 = Tensor.alloc(x.dtype(), zShape);
        INDArray z = fusedActivation ? s1 : Tensor.alloc(x.dtype(), zShape);
        INDArray[] outputs = fusedActivation ? new INDArray[] {y, s1} : new INDArray[] {y, s1, z};
        Kernel activation = sigma.forwardKernel();
        NativeKernel convolve = Convolution.kernel("conv2d", geometry, ks);
        NativeKernel transpose = Convolution.kernel("deconv2d", geometry, ks);
        OneDnnConvolution convolveDirect = fusedActivation
                ? OneDnnConvolution.forwardLeakyRelu(geometry, sigma.leakyReluSlope())
                : OneDnnConvolution.of(OneDnnConvolution.Kind.FORWARD, geometry);
        OneDnnConvolution transposeDirect = OneDnnConvolution.of(OneDnnConvolution.Kind.TRANSPOSED, geometry);
        Replay.exec((in, out) -> {
            double sh = sign * in[3].getDouble(0);
            if (fusedActivation) {
                convolveDirect.run(in[0], in[1], in[2], out[1]);
            } else if (direct) {
                convolveDirect.run(in[0], in[1], in[2], out[2]);
                activation.run(new INDArray[] {out[2]}, new INDArray[] {out[1]});
            } else {
                Convolution.run(convolve, new INDArray[] {in[0], in[1], in[2]}, new INDArray[] {out[2]});
                activation.run(new INDArray[] {out[2]}, new INDArray[] {out[1]});
            }
            if (direct) {
                transposeDirect.runScaled(out[1], in[1], sh, out[0]);       // Kᵀ with s·h folded into the kernel
            } else {
                Convolution.run(transpose, new INDArray[] {out[1], in[1]}, new INDArray[] {out[0]});
                out[0].muli(sh);
            }
            out[0].addi(in[0]);
        }, new INDArray[] {x.value(), kernel.value(), b.value(), h.value()}, outputs);
        return Tensor.fromOp("convGradientFlow", y, g -> {
            if (GradMode.isEnabled()) {
                return composedBackward(g, x, kernel, b, h, in -> composedConv(in[0], in[1], in[2], in[3], sign, sigma));
            }
            boolean[] wanted = {x.requiresGrad(), kernel.requiresGrad(), b.requiresGrad(), h.requiresGrad()};
            DataType t = x.dtype();
            INDArray[] grads = {Tensor.alloc(t, x.shape()), Tensor.alloc(t, ks), Tensor.alloc(t, o), Tensor.alloc(t, h.shape())};
            // per-thread work arrays (used only inside this rule): u = K g, v = σ'(z) ⊙ u, Kᵀv, a weight gradient
            INDArray[] activations = Scratch.arrays("conv activations", t, zShape, 2);
            INDArray[] work = {activations[0], activations[1], Scratch.arrays("conv images", t, x.shape(), 1)[0],
                Scratch.arrays("conv weight", t, ks, 1)[0]};
            Kernel activationBackward = sigma.backwardKernel();
            NativeKernel convolveGrad = Convolution.kernel("conv2d", geometry, ks);
            NativeKernel backprop = Convolution.kernel("conv2d_bp", geometry, ks);
            NativeKernel transposeBackprop = Convolution.kernel("deconv2d_bp", geometry, ks);
            // oneDNN directly (float32): each product on its own, only the wanted ones
            OneDnnConvolution convolveBack = OneDnnConvolution.of(OneDnnConvolution.Kind.FORWARD, geometry);
            OneDnnConvolution transposeBack = OneDnnConvolution.of(OneDnnConvolution.Kind.TRANSPOSED, geometry);
            OneDnnConvolution fieldWeightGrad = OneDnnConvolution.of(OneDnnConvolution.Kind.WEIGHT_GRADIENT, geometry);
            OneDnnConvolution linearWeightGrad = OneDnnConvolution.of(OneDnnConvolution.Kind.WEIGHT_GRADIENT, geometry);
            Replay.exec((in, out) -> {
                INDArray gv = in[0];
                INDArray xv = in[1];
                INDArray kv = in[2];
                double sh = sign * in[3].getDouble(0);
                INDArray u = out[4];
                INDArray v = out[5];
                INDArray ktv = out[6];
                INDArray gk = out[7];
                boolean biasSummed = false;
                if (direct) {
                    convolveBack.run(gv, kv, u);
                    if (wanted[1]) {
                        fieldWeightGrad.run(gv, in[5], out[1]);     // of the transposed convolution Kᵀσ(z)
                    }
                    activationBackward.run(new INDArray[] {in[4], u}, new INDArray[] {v});
                    if (wanted[0]) {
                        transposeBack.runScaled(v, kv, sh, out[0]);
                        out[0].addi(gv);
                    }
                    if (wanted[1]) {
                        // of the convolution Kx, and Σv from the same call when ∂b is wanted
                        linearWeightGrad.run(xv, v, wanted[2] ? out[2] : null, gk);
                        biasSummed = wanted[2];
                    }
                } else {
                    if (wanted[1]) {
                        // deconv2d_bp(σ(z), K, g) gives u = K g and the weight gradient of the transposed
                        // convolution in one call (conv2d_bp(g, K, σ(z)) would also compute Kᵀσ(z), unused)
                        Convolution.run(transposeBackprop, new INDArray[] {in[5], kv, gv}, new INDArray[] {u, out[1]});
                    } else {
                        Convolution.run(convolveGrad, new INDArray[] {gv, kv}, new INDArray[] {u});
                    }
                    activationBackward.run(new INDArray[] {in[4], u}, new INDArray[] {v});
                    // conv2d_bp(x, K, v) gives Kᵀv and the weight gradient of (x, v) in one call
                    Convolution.run(backprop, new INDArray[] {xv, kv, v}, new INDArray[] {ktv, gk});
                    if (wanted[0]) {
                        out[0].assign(ktv.muli(sh).addi(gv));
                    }
                }
                if (wanted[1]) {
                    out[1].addi(gk).muli(sh);
                }
                if (wanted[2]) {
                    if (!biasSummed) {
                        v.sum(out[2], 0, 2, 3);
                    }
                    out[2].muli(sh);
                }
                if (wanted[3]) {
                    out[3].assign(sign * dot(u, in[5]));
                }
            }, new INDArray[] {g.value(), x.value(), kernel.value(), h.value(), z, s1},
                    grads[0], grads[1], grads[2], grads[3], work[0], work[1], work[2], work[3]);
            return constants(grads, wanted);
        }, x, kernel, b, h);
    }

    /** The dense step from primitive ops (reference and higher-order fallback). */
    public static Tensor composedDense(Tensor x, Tensor a, Tensor b, Tensor h, int sign, ElementwiseMap sigma) {
        Tensor field = sigma.apply(x.matmul(a, false, true).add(b)).matmul(a);
        return x.add(field.mul(h.reshape()).mul(sign));
    }

    /** The conv step from primitive ops (reference and higher-order fallback). */
    public static Tensor composedConv(Tensor x, Tensor kernel, Tensor b, Tensor h, int sign, ElementwiseMap sigma) {
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

    private static Tensor[] constants(INDArray[] grads, boolean[] wanted) {
        Tensor[] out = new Tensor[grads.length];
        for (int i = 0; i < grads.length; i++) {
            out[i] = wanted[i] ? Tensor.constant(grads[i]) : null;
        }
        return out;
    }

    /** ⟨u, s⟩ by BLAS dot over the flattened arrays (no temporary arrays). */
    private static double dot(INDArray u, INDArray s) {
        return Nd4j.getBlasWrapper().dot(u.reshape(u.length()), s.reshape(s.length()));
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
        double v = h.value().getDouble(0);
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
