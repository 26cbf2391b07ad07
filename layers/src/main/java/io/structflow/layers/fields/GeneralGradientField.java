package io.structflow.layers.fields;

import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.GradientField;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The general gradient field of [CMOSS] §3 (below (3.3)):
 * <pre>  f(x) = Aᵀdiag(α)σ(Ax + b) = ∇V(x),   V(x) = αᵀΓ(Ax + b),   Γ' = σ</pre>
 * an ascent {@link GradientField} whose signed weights α decide, entry by entry, whether the
 * flow contracts or expands. σ is any {@link Activation} (LeakyReLU(a), ReLU, tanh).
 * Parameters: {@code A} {@code [m, n]} (orthogonal init), {@code alpha} {@code [m]}
 * ({@code U(−1, 1)}), {@code b} {@code [m]} ({@code U(−0.1, 0.1)}). Lipschitz constant
 * {@code ≤ c²·max|α|·max|σ'|} with {@code c} from {@link #constrainNorm(double)} (else +∞).
 */
public final class GeneralGradientField extends Module implements GradientField, LayerField {
    private static final String NAME = "GeneralGradientField";
    private final int n;
    private final Activation sigma;
    private final DataType type;
    private final Parameter weight;
    private final Parameter alpha;
    private final Parameter bias;

    /**
     * @param n     state dimension
     * @param m     width
     * @param sigma activation
     * @param type  FLOAT or DOUBLE
     * @param rng   seeded generator
     */
    public GeneralGradientField(int n, int m, Activation sigma, DataType type, SplittableRandom rng) {
        this(sigma, initialWeight(n, m, type, rng), Tensor.uniform(type, rng, -1, 1, m),
                Tensor.uniform(type, rng, -0.1, 0.1, m));
    }

    private GeneralGradientField(Activation sigma, Tensor a, Tensor alpha, Tensor b) {
        GivenWeights given = new GivenWeights(NAME + ".fromWeights");
        given.require("A", a, "m", "n");
        given.require("alpha", alpha, "m");
        given.require("b", b, "m");
        this.n = (int) given.size("n");
        this.sigma = Objects.requireNonNull(sigma, NAME + ": sigma");
        this.type = given.type();
        weight = register("A", Parameter.of("A", a));
        this.alpha = register("alpha", Parameter.of("alpha", alpha));
        bias = register("b", Parameter.of("b", b));
    }

    /** From given weights (copied): A {@code [m, n]}, α {@code [m]}, b {@code [m]}; a wrong shape is named. */
    public static GeneralGradientField fromWeights(Activation sigma, Tensor a, Tensor alpha, Tensor b) {
        return new GeneralGradientField(sigma, a, alpha, b);
    }

    private static Tensor initialWeight(int n, int m, DataType type, SplittableRandom rng) {
        FieldChecks.positive(NAME, "n", n);
        FieldChecks.positive(NAME, "m", m);
        FieldChecks.floating(NAME, type);
        FieldChecks.rng(NAME, rng);
        return Init.orthogonal(type, rng, m, n);
    }

    /** A, {@code [m, n]}. */
    public Parameter weight() {
        return weight;
    }

    /** α, {@code [m]}. */
    public Parameter alpha() {
        return alpha;
    }

    /** b, {@code [m]}. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public DataType dtype() {
        return type;
    }

    /** Attaches the certified bound {@code ‖A‖₂ ≤ c} ({@link SpectralNormBound#dense}). */
    public GeneralGradientField constrainNorm(double c) {
        FieldChecks.positiveBound(NAME + ".constrainNorm", "c", c);
        weight.constrain(SpectralNormBound.dense(c));
        return this;
    }

    @Override
    public void checkInput(String where, Tensor x) {
        FieldChecks.requireVectors(where, x, n, type);
    }

    /** {@code αᵀΓ(Ax + b)}, {@code [batch]}. */
    @Override
    public Tensor potential(Tensor x) {
        checkInput(NAME + ".potential", x);
        return sigma.antiderivative(x.matmul(weight.effective(), false, true).add(bias)).mul(alpha).sum(false, 1);
    }

    /** {@code Aᵀdiag(α)σ(Ax + b)} (closed form). */
    @Override
    public Tensor gradient(Tensor x) {
        checkInput(NAME + ".gradient", x);
        Tensor a = weight.effective();
        return sigma.apply(x.matmul(a, false, true).add(bias)).mul(alpha).matmul(a);
    }

    @Override
    public Flow flow() {
        return Flow.ASCENT;
    }

    @Override
    public Tensor apply(Tensor x) {
        return gradient(x);
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }

    @Override
    public long dimension() {
        return n;
    }

    /** {@code U²·max|α|·max|σ'|} with U a certified bound of the current ‖A‖. */
    @Override
    public double lipschitzBound() {
        double c = new DenseSpectralNorm().upperBound(weight.effective().value());
        double a = alpha.value().amaxNumber().doubleValue();
        return c * c * a * Math.max(Math.abs(sigma.minSlope()), Math.abs(sigma.maxSlope()));
    }
}
