package io.structflow.core.autodiff;

import io.structflow.core.Backend;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D convolution, its transpose (adjoint) and its weight gradient: three bilinear operations
 * whose backward rules are written with each other, so convolutional layers support
 * derivatives of any order.
 *
 * <p>Layout: images {@code [batch, channels, height, width]}, weights
 * {@code [outChannels, inChannels, kH, kW]} (PyTorch's layout). One weight serves a convolution
 * and its transpose, as in the convolutional gradient field {@code −Kᵀσ(Kx + b)}
 * ([M-slides], code snippet 2). Native kernels are ND4J's {@code conv2d}, {@code deconv2d},
 * {@code conv2d_bp} and {@code deconv2d_bp}, run with oneDNN helpers enabled; a first-order
 * backward pass that wants both gradients of an operation gets them from one backward op. In
 * float32 with stride 1 the three products run on oneDNN's primitives directly instead
 * ({@link OneDnnConvolution}), each gradient on its own.
 *
 * <p>With {@code ⟨conv(x, W), y⟩ = ⟨x, convT(y, W)⟩ = ⟨W, weightGrad(x, y)⟩}:
 * <pre>
 *   conv(x, W):        ∂x = convT(g, W),        ∂W = weightGrad(x, g)
 *   convT(y, W):       ∂y = conv(g, W),         ∂W = weightGrad(g, y)
 *   weightGrad(x, y):  ∂x = convT(y, G),        ∂y = conv(x, G)
 * </pre>
 */
public final class Convolution {
    private static final int WEIGHT_FORMAT_OIHW = 1;
    private static final int NCHW = 0;

    private Convolution() {
    }

    /** {@code y = conv(x, W)}: x {@code [B, C, H, W]}, weight {@code [O, C, kH, kW]} → {@code [B, O, H', W']}. */
    public static Tensor conv2d(Tensor x, Tensor weight, ConvGeometry geometry) {
        return conv2d(x, weight, null, geometry);
    }

    /**
     * {@code y = conv(x, W) + b}, the bias {@code [O]} added to every pixel of its output channel
     * ({@code bias} null: none), with {@code ∂b = Σ_{batch, rows, columns} g}. In float32 with
     * stride 1 the bias is added inside oneDNN's convolution and, in a first-order backward pass
     * that wants both, ∂W and ∂b come from one oneDNN backward-weights call.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, ConvGeometry geometry) {
        return convolve("conv2d", x, weight, bias, Double.NaN, geometry);
    }

    /**
     * {@code y = σ(conv(x, W) + b)} with the leaky ReLU {@code σ(z) = z (z > 0), a·z (z ≤ 0)},
     * slope {@code a ≥ 0} (0: ReLU; {@code bias} null: none). In float32 with stride 1, σ is
     * applied inside oneDNN's convolution (a post-op), so z is never stored. Backward:
     * {@code ∂z = σ'(z) ⊙ g} read from y — for {@code a ≥ 0}, {@code y > 0} exactly when
     * {@code z > 0} — then the rules of {@link #conv2d(Tensor, Tensor, Tensor, ConvGeometry)}.
     *
     * @throws IllegalArgumentException if the slope is negative or not finite
     */
    public static Tensor conv2dLeakyRelu(Tensor x, Tensor weight, Tensor bias, double slope, ConvGeometry geometry) {
        OneDnnConvolution.requireSlope("conv2dLeakyRelu", slope);
        return convolve("conv2dLeakyRelu", x, weight, bias, slope, geometry);
    }

    /** {@code conv(x, W) + b}, then the leaky ReLU of this slope unless it is NaN. */
    private static Tensor convolve(String op, Tensor x, Tensor weight, Tensor bias, double slope, ConvGeometry geometry) {
        checkPair(op, x, weight, 1);
        long[] ws = weight.shape();
        if (bias != null) {
            Shapes.require(op, "bias", bias, ws[0]);
            if (bias.dtype() != x.dtype()) {
                throw new IllegalArgumentException(op + ": bias expected element type " + x.dtype() + " but got "
                        + bias.dtype());
            }
        }
        long h = x.size(2);
        long w = x.size(3);
        long oh = geometry.outSize(h, ws[2], true);
        long ow = geometry.outSize(w, ws[3], false);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": kernel " + ws[2] + "×" + ws[3] + " does not fit image "
                    + h + "×" + w + " with padding (" + geometry.padH() + ", " + geometry.padW() + ")");
        }
        boolean activated = !Double.isNaN(slope);
        INDArray out = Tensor.alloc(x.dtype(), x.size(0), ws[0], oh, ow);
        INDArray[] in = bias == null ? new INDArray[] {x.value(), weight.value()}
                : new INDArray[] {x.value(), weight.value(), bias.value()};
        boolean direct = OneDnnConvolution.supports(x.dtype(), geometry, ws);
        if (direct) {
            OneDnnConvolution kernel = activated ? OneDnnConvolution.forwardLeakyRelu(geometry, slope)
                    : OneDnnConvolution.of(OneDnnConvolution.Kind.FORWARD, geometry);
            Replay.exec((i, o) -> kernel.run(i[0], i[1], i.length > 2 ? i[2] : null, o[0]), in, out);
        } else if (activated) {
            NativeKernel convolution = kernel("conv2d", geometry, ws);
            Kernel activation = LeakyReluKernel.forward(slope);
            Replay.exec((i, o) -> {
                run(convolution, i, new INDArray[] {o[1]});
                activation.run(new INDArray[] {o[1]}, new INDArray[] {o[0]});
            }, in, out, Tensor.alloc(x.dtype(), out.shape()));
        } else {
            execRecorded("conv2d", geometry, ws, in, out);
        }
        Tensor outputValue = activated ? Tensor.constant(out) : null;
        Backward backward = g -> {
            Tensor gz = activated ? Tensor.leakyReluGrad(outputValue, g, slope) : g;
            if (!direct && bothGradientsWanted(x, weight)) {
                Tensor[] both = backpropBoth("conv2d_bp", geometry, ws, x, weight, gz);
                return bias == null ? both : new Tensor[] {both[0], both[1], bias.requiresGrad() ? biasGrad(gz) : null};
            }
            Tensor gx = x.requiresGrad() ? convTranspose2d(gz, weight, geometry, h, w) : null;
            if (bias == null) {
                return new Tensor[] {gx, weight.requiresGrad() ? weightGrad(x, gz, weight, geometry) : null};
            }
            if (direct && weight.requiresGrad() && bias.requiresGrad() && !GradMode.isEnabled()) {
                Tensor[] weightAndBias = weightAndBiasGrad(x, gz, ws, geometry);
                return new Tensor[] {gx, weightAndBias[0], weightAndBias[1]};
            }
            return new Tensor[] {gx, weight.requiresGrad() ? weightGrad(x, gz, weight, geometry) : null,
                bias.requiresGrad() ? biasGrad(gz) : null};
        };
        return bias == null ? Tensor.fromOp(op, out, backward, x, weight) : Tensor.fromOp(op, out, backward, x, weight, bias);
    }

    /** {@code ∂b = Σ_{batch, rows, columns} g}, {@code [O]}. */
    private static Tensor biasGrad(Tensor g) {
        return g.sum(false, 0, 2, 3);
    }

    /**
     * {@code weightGrad(x, g)} and {@code Σ_{batch, rows, columns} g} from one oneDNN
     * backward-weights call, as constants (first-order only).
     */
    private static Tensor[] weightAndBiasGrad(Tensor x, Tensor g, long[] ws, ConvGeometry geometry) {
        INDArray gradWeight = Tensor.alloc(x.dtype(), ws);
        INDArray gradBias = Tensor.alloc(x.dtype(), ws[0]);
        OneDnnConvolution kernel = OneDnnConvolution.of(OneDnnConvolution.Kind.WEIGHT_GRADIENT, geometry);
        Replay.exec((i, o) -> kernel.run(i[0], i[1], o[1], o[0]), new INDArray[] {x.value(), g.value()}, gradWeight, gradBias);
        return new Tensor[] {Tensor.constant(gradWeight), Tensor.constant(gradBias)};
    }

    /**
     * The adjoint of {@link #conv2d} in x: y {@code [B, O, H', W']}, weight {@code [O, C, kH, kW]}
     * → {@code [B, C, outHeight, outWidth]}, where {@code outHeight × outWidth} is the size of the
     * image the forward convolution read (rows a strided convolution never reads get 0).
     */
    public static Tensor convTranspose2d(Tensor y, Tensor weight, ConvGeometry geometry, long outHeight, long outWidth) {
        checkPair("convTranspose2d", y, weight, 0);
        long[] ws = weight.shape();
        if (geometry.outSize(outHeight, ws[2], true) != y.size(2) || geometry.outSize(outWidth, ws[3], false) != y.size(3)) {
            throw new IllegalArgumentException("convTranspose2d: y expected spatial size "
                    + geometry.outSize(outHeight, ws[2], true) + "×" + geometry.outSize(outWidth, ws[3], false)
                    + " (the conv output of a " + outHeight + "×" + outWidth + " image) but got " + y.size(2) + "×" + y.size(3));
        }
        long nh = (long) geometry.strideH() * (y.size(2) - 1) + ws[2] - 2L * geometry.padH();
        long nw = (long) geometry.strideW() * (y.size(3) - 1) + ws[3] - 2L * geometry.padW();
        INDArray out;
        boolean wholeImage = nh == outHeight && nw == outWidth;
        boolean direct = OneDnnConvolution.supports(y.dtype(), geometry, ws);
        if (wholeImage && direct) {
            out = Tensor.alloc(y.dtype(), y.size(0), ws[1], nh, nw);
            execDirect(OneDnnConvolution.Kind.TRANSPOSED, geometry, y.value(), weight.value(), out);
        } else if (wholeImage) {
            out = Tensor.alloc(y.dtype(), y.size(0), ws[1], nh, nw);
            execRecorded("deconv2d", geometry, ws, new INDArray[] {y.value(), weight.value()}, out);
        } else {
            // A strided convolution that leaves rows or columns unread: transpose without padding,
            // then keep the rows [pad, pad + out) of the padded image, zero where it never reached.
            ConvGeometry unpadded = new ConvGeometry(geometry.strideH(), geometry.strideW(), 0, 0);
            long fh = (long) geometry.strideH() * (y.size(2) - 1) + ws[2];
            long fw = (long) geometry.strideW() * (y.size(3) - 1) + ws[3];
            INDArray full = Tensor.alloc(y.dtype(), y.size(0), ws[1], fh, fw);
            long keepH = Math.min(outHeight, fh - geometry.padH());
            long keepW = Math.min(outWidth, fw - geometry.padW());
            out = Tensor.alloc(y.dtype(), y.size(0), ws[1], outHeight, outWidth);
            NativeKernel deconv = kernel("deconv2d", unpadded, ws);
            Replay.exec((i, o) -> {
                run(deconv, i, new INDArray[] {o[1]});
                o[0].assign(0);
                o[0].get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, keepH), NDArrayIndex.interval(0, keepW))
                        .assign(o[1].get(NDArrayIndex.all(), NDArrayIndex.all(),
                                NDArrayIndex.interval(geometry.padH(), geometry.padH() + keepH),
                                NDArrayIndex.interval(geometry.padW(), geometry.padW() + keepW)));
            }, new INDArray[] {y.value(), weight.value()}, out, full);
        }
        return Tensor.fromOp("convTranspose2d", out, g -> wholeImage && !direct && bothGradientsWanted(y, weight)
                ? backpropBoth("deconv2d_bp", geometry, ws, y, weight, g)
                : new Tensor[] {
                    y.requiresGrad() ? conv2d(g, weight, geometry) : null,
                    weight.requiresGrad() ? weightGrad(g, y, weight, geometry) : null}, y, weight);
    }

    /**
     * {@code ∂⟨conv(x, W), y⟩/∂W}, shape of {@code like} ({@code [O, C, kH, kW]}): the weight
     * gradient of a convolution with input x and output gradient y.
     */
    public static Tensor weightGrad(Tensor x, Tensor y, Tensor like, ConvGeometry geometry) {
        long[] ws = like.shape();
        INDArray gradWeight = Tensor.alloc(x.dtype(), ws);
        if (OneDnnConvolution.supports(x.dtype(), geometry, ws)) {
            execDirect(OneDnnConvolution.Kind.WEIGHT_GRADIENT, geometry, x.value(), y.value(), gradWeight);
        } else {
            // libnd4j has no weight-gradient-only op: conv2d_bp computes an image gradient too, discarded
            INDArray gradInput = Tensor.alloc(x.dtype(), x.shape());
            INDArray weightValue = Nd4j.zeros(x.dtype(), ws);
            execRecorded("conv2d_bp", geometry, ws, new INDArray[] {x.value(), weightValue, y.value()}, gradInput, gradWeight);
        }
        long h = x.size(2);
        long w = x.size(3);
        return Tensor.fromOp("convWeightGrad", gradWeight, g -> new Tensor[] {
            x.requiresGrad() ? convTranspose2d(y, g, geometry, h, w) : null,
            y.requiresGrad() ? conv2d(x, g, geometry) : null}, x, y);
    }

    /**
     * Whether a backward rule may use {@link #backpropBoth}: both operands want gradients and the
     * gradients are not themselves recorded (a first-order backward pass).
     */
    private static boolean bothGradientsWanted(Tensor image, Tensor weight) {
        return image.requiresGrad() && weight.requiresGrad() && !GradMode.isEnabled();
    }

    /**
     * Both gradients of {@code conv2d(image, W)} ({@code op = conv2d_bp}) or of
     * {@code convTranspose2d(image, W)} ({@code op = deconv2d_bp}) from one native call, the table
     * above's two rules at once: each libnd4j backward op computes the image gradient whether it is
     * wanted or not, so asking it for both gradients avoids a second convolution. As constants
     * (first-order only).
     */
    private static Tensor[] backpropBoth(String op, ConvGeometry geometry, long[] ws, Tensor image, Tensor weight,
                                         Tensor g) {
        INDArray gradImage = Tensor.alloc(image.dtype(), image.shape());
        INDArray gradWeight = Tensor.alloc(weight.dtype(), ws);
        execRecorded(op, geometry, ws, new INDArray[] {image.value(), weight.value(), g.value()}, gradImage, gradWeight);
        return new Tensor[] {Tensor.constant(gradImage), Tensor.constant(gradWeight)};
    }

    private static void checkPair(String op, Tensor img, Tensor weight, int channelAxisOfWeight) {
        if (img.rank() != 4) {
            throw new IllegalArgumentException(op + ": input expected [batch, channels, height, width] but got shape "
                    + Shapes.str(img.shape()));
        }
        if (weight.rank() != 4) {
            throw new IllegalArgumentException(op + ": weight expected [outChannels, inChannels, kH, kW] but got shape "
                    + Shapes.str(weight.shape()));
        }
        if (weight.size(channelAxisOfWeight) != img.size(1)) {
            throw new IllegalArgumentException(op + ": input has " + img.size(1) + " channels but weight "
                    + Shapes.str(weight.shape()) + " expects " + weight.size(channelAxisOfWeight));
        }
        if (img.dtype() != weight.dtype()) {
            throw new IllegalArgumentException(op + ": input and weight expected the same element type but got "
                    + img.dtype() + " and " + weight.dtype());
        }
    }

    /**
     * The libnd4j convolution op {@code name} ({@code conv2d}, {@code deconv2d} or
     * {@code conv2d_bp}) for kernels of shape {@code ws} in NCHW/OIHW layout, as a kernel that
     * prepares its native context once it runs again on the same arrays (a replayed step).
     */
    static NativeKernel kernel(String name, ConvGeometry g, long[] ws) {
        return NativeKernel.of(name, new double[0], new long[] {ws[2], ws[3], g.strideH(), g.strideW(), g.padH(),
            g.padW(), 1, 1, 0, NCHW, WEIGHT_FORMAT_OIHW}).withHelpers();
    }

    /** Runs a convolution kernel with oneDNN's helpers enabled (they are off for everything else). */
    static void run(NativeKernel kernel, INDArray[] in, INDArray[] out) {
        Backend.withHelpers(() -> {
            kernel.run(in, out);
            return null;
        });
    }

    /** Runs {@code kind} of (a, b) on oneDNN directly into {@code out} now, recorded for {@link Replay}. */
    static void execDirect(OneDnnConvolution.Kind kind, ConvGeometry g, INDArray a, INDArray b, INDArray out) {
        OneDnnConvolution kernel = OneDnnConvolution.of(kind, g);
        Replay.exec((i, o) -> kernel.run(i[0], i[1], o[0]), new INDArray[] {a, b}, out);
    }

    /** Runs the op {@code name} now, recorded for {@link Replay}. */
    static void execRecorded(String name, ConvGeometry g, long[] ws, INDArray[] in, INDArray... out) {
        NativeKernel kernel = kernel(name, g, ws);
        Replay.exec((i, o) -> run(kernel, i, o), in, out);
    }
}
