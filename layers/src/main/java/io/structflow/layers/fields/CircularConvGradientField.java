package io.structflow.layers.fields;

import io.structflow.constraints.guarantee.Guarantees;
import io.structflow.constraints.parametrize.FourierCayleyConvolution;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The gradient field of [CMOSS] (3.3)/(3.7) with an exactly orthogonal convolution:
 * <pre>  f(x) = s·𝒬ᵀσ(𝒬x + b) = s·∇V(x),   V(x) = 𝟏ᵀΓ(𝒬x + b)</pre>
 * 𝒬 the circular convolution {@code C → C} on {@code H × W} images obtained from the raw kernel
 * {@code K [C, C, k, k]} by the Cayley transform of its Fourier blocks
 * ({@link FourierCayleyConvolution}, Trockman &amp; Kolter, ICLR 2021), so {@code 𝒬ᵀ𝒬 = I} for
 * every K; b {@code [C]} one bias per channel. The weight bounds the property rules read are
 * {@code ‖𝒬‖ ≤ 1} and {@code ‖𝒬x‖ ≥ ‖x‖}, from the parametrisation's guarantee
 * ({@link io.structflow.constraints.guarantee.OrthogonalOperator}) — the hypotheses of the pair
 * rule (3.10), so a switching block of these fields with steps in R is 1-Lipschitz. s = −1
 * ({@link #contractive}) or +1 ({@link #expansive}). Stepped by its own {@link #apply} (the DFT is
 * not a zero-padded convolution, so explicit Euler's fused kernel does not apply); each
 * evaluation recomputes 𝒬 (one batched 2C×2C solve over the H·W frequencies).
 */
public final class CircularConvGradientField extends Module implements GradientFlowField {
    private final int sign;
    private final int channels;
    private final int height;
    private final int width;
    private final Activation sigma;
    private final DataType type;
    private final FourierCayleyConvolution parametrization;
    private final Parameter kernel;
    private final Parameter bias;

    private CircularConvGradientField(int sign, int channels, int k, int height, int width, Activation sigma,
                                      DataType type, SplittableRandom rng) {
        String kind = sign < 0 ? "CircularConvGradientField.contractive" : "CircularConvGradientField.expansive";
        this.sign = sign;
        this.channels = FieldChecks.positive(kind, "channels", channels);
        this.height = FieldChecks.positive(kind, "height", height);
        this.width = FieldChecks.positive(kind, "width", width);
        FieldChecks.positive(kind, "kernel size k", k);
        this.sigma = Objects.requireNonNull(sigma, kind + ": sigma");
        FieldChecks.floating(kind, type);
        FieldChecks.rng(kind, rng);
        this.type = type;
        this.parametrization = new FourierCayleyConvolution(channels, k, height, width, type);
        Tensor k0 = Tensor.randn(type, rng, channels, channels, k, k).mul(1 / Math.sqrt((double) channels * k * k));
        this.kernel = register("K", Parameter.of("K", k0)).parametrize(parametrization);
        this.bias = register("b", Parameter.of("b", Tensor.uniform(type, rng, -0.1, 0.1, channels)));
    }

    /**
     * The contractive field {@code −𝒬ᵀσ(𝒬x + b)} ([CMOSS] (3.3)).
     *
     * @param channels C ≥ 1
     * @param k        size of the raw kernel, ≥ 1
     * @param height   H ≥ 1 of the images
     * @param width    W ≥ 1
     * @param sigma    σ
     * @param type     float32 or float64
     * @param rng      initial K {@code N(0, 1/(C k²))} and b {@code U(−0.1, 0.1)}
     */
    public static CircularConvGradientField contractive(int channels, int k, int height, int width, Activation sigma,
                                                        DataType type, SplittableRandom rng) {
        return new CircularConvGradientField(-1, channels, k, height, width, sigma, type, rng);
    }

    /** The expansive field {@code +𝒬ᵀσ(𝒬x + b)} ([CMOSS] (3.7)); arguments as {@link #contractive}. */
    public static CircularConvGradientField expansive(int channels, int k, int height, int width, Activation sigma,
                                                      DataType type, SplittableRandom rng) {
        return new CircularConvGradientField(+1, channels, k, height, width, sigma, type, rng);
    }

    @Override
    public int sign() {
        return sign;
    }

    @Override
    public Activation activation() {
        return sigma;
    }

    /** The raw kernel K {@code [C, C, k, k]} (parametrised). */
    @Override
    public Parameter weightParameter() {
        return kernel;
    }

    /** The bias b, {@code [C]}. */
    public Parameter bias() {
        return bias;
    }

    /** The parametrisation that makes 𝒬 from K. */
    public FourierCayleyConvolution parametrization() {
        return parametrization;
    }

    @Override
    public boolean parametrised() {
        return true;
    }

    @Override
    public String weightOperator() {
        return parametrization.describeOperator();
    }

    /** {@code ‖𝒬‖ ≤ 1} and {@code ‖𝒬x‖ ≥ ‖x‖} from the parametrisation's guarantee, for every K. */
    @Override
    public WeightBounds guaranteedWeightBounds() {
        double c = Guarantees.normBound(kernel, weightOperator(), false);
        double l = Guarantees.operatorSingularValueBound(kernel, weightOperator());
        return Double.isFinite(c) || l > 0 ? new WeightBounds(c, l, "𝒬 = " + parametrization.describe())
                : WeightBounds.unknown();
    }

    /** What the parametrisation guarantees: it holds for every raw value. */
    @Override
    public WeightBounds currentWeightBounds() {
        return guaranteedWeightBounds();
    }

    @Override
    public DataType dtype() {
        return type;
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

    private Tensor preActivation(Tensor blocks, Tensor x) {
        return parametrization.operator().apply(blocks, x, false).add(bias.reshape(1, channels, 1, 1));
    }

    /** {@code 𝟏ᵀΓ(𝒬x + b)}, {@code [batch]}. */
    @Override
    public Tensor potential(Tensor x) {
        checkInput("CircularConvGradientField.potential", x);
        return sigma.antiderivative(preActivation(kernel.effective(), x)).sum(false, 1, 2, 3);
    }

    /** {@code 𝒬ᵀσ(𝒬x + b)} (closed form). */
    @Override
    public Tensor gradient(Tensor x) {
        checkInput("CircularConvGradientField.gradient", x);
        Tensor blocks = kernel.effective();
        return parametrization.operator().apply(blocks, sigma.apply(preActivation(blocks, x)), true);
    }

    @Override
    public Flow flow() {
        return sign < 0 ? Flow.DESCENT : Flow.ASCENT;
    }

    @Override
    public Tensor apply(Tensor x) {
        Tensor g = gradient(x);
        return sign < 0 ? g.neg() : g;
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }

    /** {@code ‖𝒬‖²·max|σ'| = max|σ'|}. */
    @Override
    public double lipschitzBound() {
        double c = currentWeightBounds().normUpper();
        return c * c * Math.max(Math.abs(sigma.minSlope()), Math.abs(sigma.maxSlope()));
    }
}
