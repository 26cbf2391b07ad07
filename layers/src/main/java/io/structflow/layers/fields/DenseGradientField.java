package io.structflow.layers.fields;

import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.constraints.parametrize.ExponentialOrthogonal;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.core.autodiff.FusedGradientFlow;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.GradientField;
import io.structflow.integrators.Integrator;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The dense gradient field {@code f(x) = s·Aᵀσ(Ax + b) = s·∇V(x)}, {@code V(x) = 𝟏ᵀΓ(Ax + b)}
 * with {@code Γ' = σ}, of [CMOSS] (3.3): {@code s = −1} is the contractive field
 * ({@link ContractiveGradientField}, (3.5)), {@code s = +1} the expansive one
 * ({@link ExpansiveGradientField}, (3.7)).
 *
 * <p>Parameters: {@code A} {@code [m, n]} (or, with the orthogonal parametrisation, the raw
 * {@code W} {@code [m, n]} and {@code A = expm(W − Wᵀ)} cut to {@code [m, n]}, so {@code ‖A‖₂ = 1}),
 * and {@code b} {@code [m]}. Initialisation from a seeded generator: {@code A} orthogonal
 * ({@link Init#orthogonal}), {@code W ~ N(0, 0.1²)}, {@code b ~ U(−0.1, 0.1)}.
 *
 * <p>The bound {@code c ≥ ‖A‖₂} used for Lipschitz bounds: 1 with the orthogonal
 * parametrisation, the {@code c} of a norm bound attached with {@link #constrainNorm(double)},
 * else unknown ({@code +∞}). The explicit Euler step is the fused
 * {@link FusedGradientFlow#dense} kernel.
 */
public abstract sealed class DenseGradientField extends Module implements GradientField, FusedEulerField
        permits ContractiveGradientField, ExpansiveGradientField {
    private final String kind;
    private final int n;
    private final int m;
    private final Activation sigma;
    private final boolean orthogonal;
    private final DataType type;
    private final Parameter weight;
    private final Parameter bias;
    private final WeightNorm norms = new WeightNorm();
    private final ExponentialOrthogonal parametrization = new ExponentialOrthogonal();

    DenseGradientField(String kind, int n, int m, Activation sigma, boolean orthogonal, DataType type,
                       SplittableRandom rng) {
        this.kind = kind;
        this.n = FieldChecks.positive(kind, "n", n);
        this.m = FieldChecks.positive(kind, "m", m);
        this.sigma = Objects.requireNonNull(sigma, kind + ": sigma");
        this.orthogonal = orthogonal;
        this.type = FieldChecks.floating(kind, type);
        FieldChecks.rng(kind, rng);
        Tensor initial = orthogonal ? Tensor.randn(type, rng, m, n).mul(0.1) : Init.orthogonal(type, rng, m, n);
        weight = register(orthogonal ? "W" : "A", Parameter.of(orthogonal ? "W" : "A", initial));
        bias = register("b", Parameter.of("b", Tensor.uniform(type, rng, -0.1, 0.1, m)));
    }

    /** The sign s: −1 contractive, +1 expansive. */
    public abstract int sign();

    /** State dimension n. */
    public int dimension() {
        return n;
    }

    /** Width m (rows of A). */
    public int width() {
        return m;
    }

    /** The activation σ. */
    public Activation activation() {
        return sigma;
    }

    /** Whether A is parametrised as {@code expm(W − Wᵀ)}. */
    public boolean isOrthogonal() {
        return orthogonal;
    }

    @Override
    public DataType dtype() {
        return type;
    }

    /** The trained weight parameter: A itself, or the raw W of the orthogonal parametrisation. */
    public Parameter weightParameter() {
        return weight;
    }

    /** The bias b, {@code [m]}. */
    public Parameter bias() {
        return bias;
    }

    /** The effective weight A, {@code [m, n]}, differentiable in the weight parameter. */
    public Tensor weight() {
        return orthogonal ? parametrization.apply(weight) : weight;
    }

    /**
     * Attaches {@code ‖A‖₂ ≤ c} ({@link SpectralNormBound#dense}) to A and remembers c for the
     * Lipschitz derivation.
     *
     * @throws IllegalArgumentException if A is orthogonally parametrised (its norm is 1 already) or c ≤ 0
     */
    public DenseGradientField constrainNorm(double c) {
        FieldChecks.positiveBound(kind + ".constrainNorm", "c", c);
        if (orthogonal) {
            throw new IllegalArgumentException(kind + ".constrainNorm: A expected a free weight but it is parametrised "
                    + "as expm(W − Wᵀ), whose norm is 1 already");
        }
        SpectralNormBound bound = SpectralNormBound.dense(c);
        weight.constrain(bound);
        norms.record(bound, c);
        return this;
    }

    /** The known bound {@code c ≥ ‖A‖₂}: 1 if orthogonal, else the constrained c, else +∞. */
    public double weightNormBound() {
        return orthogonal ? 1.0 : norms.bound(weight);
    }

    /** Power-iteration estimate of ‖A‖₂ at the current weight (a lower bound, accurate to ~1e-10). */
    public double currentWeightNorm() {
        return new DenseSpectralNorm().estimate(weight().value());
    }

    @Override
    public void checkInput(String where, Tensor x) {
        FieldChecks.requireVectors(where, x, n, type);
    }

    private Tensor preActivation(Tensor x, Tensor a) {
        return x.matmul(a, false, true).add(bias);
    }

    /** {@code V(x) = 𝟏ᵀΓ(Ax + b)}, {@code [batch]}. */
    @Override
    public Tensor potential(Tensor x) {
        checkInput(kind + ".potential", x);
        return sigma.antiderivative(preActivation(x, weight())).sum(false, 1);
    }

    /** {@code ∇V(x) = Aᵀσ(Ax + b)}, {@code [batch, n]} (closed form). */
    @Override
    public Tensor gradient(Tensor x) {
        checkInput(kind + ".gradient", x);
        Tensor a = weight();
        return sigma.apply(preActivation(x, a)).matmul(a);
    }

    @Override
    public Flow flow() {
        return sign() < 0 ? Flow.DESCENT : Flow.ASCENT;
    }

    /** {@code s·Aᵀσ(Ax + b)}. */
    @Override
    public Tensor apply(Tensor x) {
        Tensor g = gradient(x);
        return sign() < 0 ? g.neg() : g;
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }

    /** {@code x + s·τ·Aᵀσ(Ax + b)} in one fused kernel ({@link FusedGradientFlow#dense}). */
    @Override
    public Tensor eulerStep(Tensor x, Tensor tau) {
        checkInput(kind + ".eulerStep", x);
        return FusedGradientFlow.dense(x, weight(), bias, tau, sign(), sigma);
    }

    /** S fused Euler steps sharing one evaluation of the weight (one matrix exponential when parametrised). */
    @Override
    public Tensor eulerSteps(Tensor x, Tensor tau, int substeps) {
        checkInput(kind + ".eulerSteps", x);
        if (substeps < 1) {
            throw new IllegalArgumentException(kind + ".eulerSteps: substeps expected ≥ 1 but got " + substeps);
        }
        Tensor a = weight();
        Tensor y = x;
        for (int i = 0; i < substeps; i++) {
            y = FusedGradientFlow.dense(y, a, bias, tau, sign(), sigma);
        }
        return y;
    }

    /** {@code c²·max|σ'|}. */
    @Override
    public double lipschitzBound() {
        double c = weightNormBound();
        return c * c * Math.max(Math.abs(sigma.minSlope()), Math.abs(sigma.maxSlope()));
    }

    /** For explicit Euler the spectral bound {@code max(1, |1 + sτc²σ'_max|)} (σ' ≥ 0); else the default. */
    @Override
    public double stepLipschitzBound(Integrator<?> integrator, double tau) {
        if (LayerField.isExplicitEuler(integrator)) {
            return ContractiveRule.eulerStepBound(sign(), tau, weightNormBound(), sigma);
        }
        return FusedEulerField.super.stepLipschitzBound(integrator, tau);
    }

    String kind() {
        return kind;
    }
}
