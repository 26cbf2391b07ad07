package io.structflow.layers.fields;

import io.structflow.constraints.guarantee.Guarantees;
import io.structflow.constraints.linalg.ConvOperatorNorm;
import io.structflow.constraints.linalg.NormEstimateSettings;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.constraints.project.SpectralNormClip;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.SubLattices;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.GradientForm;
import io.structflow.integrators.GradientFormField;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The convolutional gradient field ([M-slides], conv version of [CMOSS] (3.3)):
 * <pre>  f(x) = s·Kᵀσ(Kx + b) = s·∇V(x),   V(x) = 𝟏ᵀΓ(Kx + b)</pre>
 * K a stride-1 "same" convolution {@code C → m} channels with a {@code k×k} kernel (k odd) and
 * dilation d ≥ 1 (taps d pixels apart; 1 by default, computed as the undilated convolution on
 * the d² interleaved sub-images, see {@link SubLattices}, which needs H and W divisible by d),
 * Kᵀ the transposed convolution with the same kernel; {@code s = −1}
 * ({@link ConvContractiveGradientField}) or {@code +1} ({@link ConvExpansiveGradientField}).
 * Inputs are {@code [batch, C, H, W]} with the H, W fixed at construction (the operator norm of
 * a padded convolution depends on the image size). Parameters {@code K} {@code [m, C, k, k]}
 * ({@code N(0, 1/(C k²))}) and {@code b} {@code [m]}. Bounds of K for the property rules
 * ({@link GradientFlowField}): what its constraints guarantee ({@link Guarantees}: a certified
 * {@link #constrainNorm norm bound}; an estimated one guarantees nothing) and, at the current
 * value, the certified Fourier/Gram bound of {@link ConvOperatorNorm#upperBound}. Explicit Euler
 * steps it with the fused kernel ({@link GradientFormField}).
 */
public abstract sealed class ConvGradientField extends Module implements GradientFlowField, GradientFormField, Exportable
        permits ConvContractiveGradientField, ConvExpansiveGradientField {
    private final String kind;
    private final int channels;
    private final int height;
    private final int width;
    private final Activation sigma;
    private final DataType type;
    private final int dilation;
    private final ConvGeometry geometry;
    private final Parameter kernel;
    private final Parameter bias;

    ConvGradientField(String kind, int channels, int hidden, int k, int dilation, int height, int width,
                      Activation sigma, DataType type, SplittableRandom rng) {
        this(kind, initialKernel(kind, channels, hidden, k, type, rng), Tensor.uniform(type, rng, -0.1, 0.1, hidden),
                dilation, height, width, sigma);
    }

    /** From given weights (copied): K {@code [m, C, k, k]} (k odd) and b {@code [m]}. */
    ConvGradientField(String kind, Tensor kernel, Tensor bias, int dilation, int height, int width, Activation sigma) {
        GivenWeights given = new GivenWeights(kind + ".fromWeights");
        given.require("kernel", kernel, "m", "C", "k", "k");
        given.require("bias", bias, "m");
        int k = (int) given.size("k");
        if (k % 2 == 0) {
            throw given.bad("kernel", "an odd kernel size k", k);
        }
        this.kind = kind;
        this.channels = (int) given.size("C");
        this.dilation = FieldChecks.positive(kind, "dilation", dilation);
        this.height = FieldChecks.positive(kind, "height", height);
        this.width = FieldChecks.positive(kind, "width", width);
        this.sigma = Objects.requireNonNull(sigma, kind + ": sigma");
        this.type = given.type();
        if (height % dilation != 0 || width % dilation != 0) {
            throw new IllegalArgumentException(kind + ": height and width expected multiples of the dilation "
                    + dilation + " but got " + height + "×" + width);
        }
        this.geometry = ConvGeometry.same(k);
        this.kernel = register("K", Parameter.of("K", kernel));
        this.bias = register("b", Parameter.of("b", bias));
    }

    private static Tensor initialKernel(String kind, int channels, int hidden, int k, DataType type,
                                        SplittableRandom rng) {
        FieldChecks.positive(kind, "channels", channels);
        FieldChecks.positive(kind, "hidden", hidden);
        if (k < 1 || k % 2 == 0) {
            throw new IllegalArgumentException(kind + ": kernel size k expected odd ≥ 1 but got " + k);
        }
        FieldChecks.floating(kind, type);
        FieldChecks.rng(kind, rng);
        return Tensor.randn(type, rng, hidden, channels, k, k).mul(1 / Math.sqrt((double) channels * k * k));
    }

    /** The sign s: −1 contractive, +1 expansive. */
    @Override
    public abstract int sign();

    /** The kernel K, {@code [m, C, k, k]}. */
    public Parameter kernel() {
        return kernel;
    }

    /** The bias b, {@code [m]}. */
    public Parameter bias() {
        return bias;
    }

    /** The activation σ. */
    @Override
    public Activation activation() {
        return sigma;
    }

    /** Stride-1 "same" geometry of K on each sub-image (dilation 1). */
    public ConvGeometry geometry() {
        return geometry;
    }

    /** The dilation d: K's taps are d pixels apart. */
    public int dilation() {
        return dilation;
    }

    @Override
    public DataType dtype() {
        return type;
    }

    /** Attaches the certified bound {@code ‖K‖₂ ≤ c} on {@code H×W} images ({@link SpectralNormBound#convolution}). */
    public ConvGradientField constrainNorm(double c) {
        FieldChecks.positiveBound(kind + ".constrainNorm", "c", c);
        kernel.constrain(SpectralNormBound.convolution(c, geometry, height / dilation, width / dilation));
        return this;
    }

    /**
     * Attaches {@code ‖K‖₂ ≤ c(1 + relativeTolerance)} on {@code H×W} images, decided by the
     * power-iteration estimate with the given stopping rule ({@link SpectralNormBound#estimated}):
     * cheap enough for every training step, and it guarantees nothing, so no property rests on it;
     * bounds then come from certified norms of the current kernel.
     *
     * @param c                 the bound, &gt; 0
     * @param settings          stopping rule of the operator-norm estimate ({@link ConvOperatorNorm})
     * @param relativeTolerance slack of the set, ≥ 0; it must exceed the estimate's accuracy
     */
    public ConvGradientField constrainNorm(double c, NormEstimateSettings settings, double relativeTolerance) {
        FieldChecks.positiveBound(kind + ".constrainNorm", "c", c);
        Objects.requireNonNull(settings, kind + ".constrainNorm: settings");
        kernel.constrain(SpectralNormBound.estimated(c, normOperator(settings), relativeTolerance));
        return this;
    }

    /**
     * Attaches {@code ‖K‖₂ ≤ c(1 + relativeTolerance)} on {@code H×W} images enforced by clipping the
     * largest singular values ({@link SpectralNormClip}, up to three clips per projection, then
     * rescaling) instead of rescaling the whole kernel — for training with Adam, where rescaling
     * after every step wears down all but the top singular value. Decided by the estimate, as
     * {@link #constrainNorm(double, NormEstimateSettings, double)}: it guarantees nothing.
     *
     * @param c                 the bound, &gt; 0
     * @param settings          stopping rule of the operator-norm estimate
     * @param relativeTolerance slack of the set, ≥ 0; it must exceed the estimate's accuracy
     */
    public ConvGradientField clipNorm(double c, NormEstimateSettings settings, double relativeTolerance) {
        FieldChecks.positiveBound(kind + ".clipNorm", "c", c);
        Objects.requireNonNull(settings, kind + ".clipNorm: settings");
        kernel.constrain(SpectralNormClip.estimated(c, normOperator(settings), relativeTolerance, 3));
        return this;
    }

    /** {@code ‖K_d‖₂} on {@code H×W} images: {@code ‖K‖₂} on the {@code (H/d)×(W/d)} sub-images. */
    private ConvOperatorNorm normOperator(NormEstimateSettings settings) {
        return new ConvOperatorNorm(geometry, height / dilation, width / dilation, settings);
    }

    @Override
    public Parameter weightParameter() {
        return kernel;
    }

    @Override
    public boolean parametrised() {
        return kernel.parametrization() != null;
    }

    @Override
    public String weightOperator() {
        return normOperator(NormEstimateSettings.convolution()).describe();
    }

    @Override
    public WeightBounds guaranteedWeightBounds() {
        double c = Guarantees.normBound(kernel, weightOperator(), false);
        return Double.isFinite(c) ? new WeightBounds(c, 0, "the constraints on K " + kernel.guarantees())
                : WeightBounds.unknown();
    }

    /** A certified bound of the current K (whether or not it was projected). */
    @Override
    public WeightBounds currentWeightBounds() {
        return new WeightBounds(normOperator(NormEstimateSettings.convolution()).upperBound(kernel.effective().value()), 0,
                "a certified bound of the current K");
    }

    /** Power-iteration estimate of the operator norm of K on {@code H×W} images (not a bound to rely on). */
    public double currentWeightNorm() {
        return normOperator(NormEstimateSettings.convolution()).estimate(kernel.effective().value());
    }

    @Override
    public long dimension() {
        return (long) channels * height * width;
    }

    @Override
    public void checkInput(String where, Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException(where + ": x expected shape [batch, " + channels + ", " + height + ", "
                    + width + "] but got null");
        }
        Shapes.require(where, "x", x, -1, channels, height, width);
        FieldChecks.requireType(where, x, type);
    }

    /** {@code Kx + b} on the sub-images {@code [B·d², m, H/d, W/d]} of x. */
    private Tensor preActivation(Tensor subImages, Tensor k) {
        return subImages.conv2d(k, bias, geometry);
    }

    /** {@code 𝟏ᵀΓ(Kx + b)}, {@code [batch]}. */
    @Override
    public Tensor potential(Tensor x) {
        checkInput(kind + ".potential", x);
        Tensor perSubImage = sigma.antiderivative(preActivation(SubLattices.split(x, dilation), kernel.effective())).sum(false, 1, 2, 3);
        return perSubImage.reshape(x.size(0), (long) dilation * dilation).sum(false, 1);
    }

    /** {@code Kᵀσ(Kx + b)} (closed form). */
    @Override
    public Tensor gradient(Tensor x) {
        checkInput(kind + ".gradient", x);
        Tensor sub = SubLattices.split(x, dilation);
        Tensor k = kernel.effective();
        return SubLattices.merge(sigma.apply(preActivation(sub, k)).convTranspose2d(k, geometry, sub.size(2),
                sub.size(3)), dilation);
    }

    @Override
    public Flow flow() {
        return sign() < 0 ? Flow.DESCENT : Flow.ASCENT;
    }

    @Override
    public Tensor apply(Tensor x) {
        Tensor g = gradient(x);
        return sign() < 0 ? g.neg() : g;
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }

    /**
     * {@code s·Kᵀσ(Kx + b)} as Conv, σ, ConvTranspose (and a sign), with the effective K as a
     * constant; dilation 1 only (the sub-lattice split of a dilated field is not exported).
     */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        if (dilation != 1) {
            throw new UnsupportedOperationException(kind + " with dilation " + dilation
                    + " (a sub-lattice split) has no inference graph; dilation 1 has");
        }
        var k = kernel.effective().value();
        var z = sigma.appendTo(graph, graph.conv(x, k, bias.value(), geometry));
        var g = graph.convTranspose(z, k, geometry, height, width);
        return sign() < 0 ? graph.scale(g, -1) : g;
    }

    /** {@code (s, K, b, σ, d)}. */
    @Override
    public GradientForm gradientForm() {
        return new GradientForm(sign(), kernel.effective(), bias, sigma, dilation);
    }

    /** {@code U²·max|σ'|} with U a certified bound of the current ‖K‖. */
    @Override
    public double lipschitzBound() {
        double c = currentWeightBounds().normUpper();
        return c * c * Math.max(Math.abs(sigma.minSlope()), Math.abs(sigma.maxSlope()));
    }

    String kind() {
        return kind;
    }
}
