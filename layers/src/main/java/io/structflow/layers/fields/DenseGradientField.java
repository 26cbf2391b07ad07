package io.structflow.layers.fields;

import io.structflow.constraints.guarantee.Guarantees;
import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.constraints.parametrize.ExponentialOrthogonal;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.GradientForm;
import io.structflow.integrators.GradientFormField;
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
 * <p>The weight may carry any parametrisation ({@code weightParameter().parametrize(new
 * CayleyOrthogonal())}, PyTorch's {@code parametrize}); the orthogonal factories attach
 * {@link ExponentialOrthogonal}. Bounds of A for the property rules ({@link GradientFlowField}):
 * what its parametrisation guarantees (orthonormal: {@code ‖A‖ = 1} and, when {@code m ≥ n},
 * {@code AᵀA = I}, exactly), otherwise what the constraints on A guarantee ({@link Guarantees}: a certified {@link #constrainNorm norm
 * bound}, Björck orthonormalisation), and at the current value a certified Gram-iteration bound.
 * Explicit Euler steps it with the fused kernel ({@link GradientFormField}).
 */
public abstract sealed class DenseGradientField extends Module implements GradientFlowField, GradientFormField, Exportable
        permits ContractiveGradientField, ExpansiveGradientField {
    private static final DenseSpectralNorm OPERATOR = new DenseSpectralNorm();
    private final String kind;
    private final int n;
    private final int m;
    private final Activation sigma;
    private final DataType type;
    private final Parameter weight;
    private final Parameter bias;

    DenseGradientField(String kind, int n, int m, Activation sigma, boolean orthogonal, DataType type,
                       SplittableRandom rng) {
        this(kind, sigma, orthogonal, initialWeight(kind, n, m, orthogonal, type, rng),
                Tensor.uniform(type, rng, -0.1, 0.1, m));
    }

    /** From given weights (copied): A (or the raw W) {@code [m, n]} and b {@code [m]}. */
    DenseGradientField(String kind, Activation sigma, boolean orthogonal, Tensor weight, Tensor bias) {
        GivenWeights given = new GivenWeights(kind + ".fromWeights");
        given.require(orthogonal ? "W" : "A", weight, "m", "n");
        given.require("b", bias, "m");
        this.kind = kind;
        this.n = (int) given.size("n");
        this.m = (int) given.size("m");
        this.sigma = Objects.requireNonNull(sigma, kind + ": sigma");
        this.type = given.type();
        this.weight = register(orthogonal ? "W" : "A", Parameter.of(orthogonal ? "W" : "A", weight));
        this.bias = register("b", Parameter.of("b", bias));
        if (orthogonal) {
            this.weight.parametrize(new ExponentialOrthogonal());
        }
    }

    private static Tensor initialWeight(String kind, int n, int m, boolean orthogonal, DataType type,
                                        SplittableRandom rng) {
        FieldChecks.positive(kind, "n", n);
        FieldChecks.positive(kind, "m", m);
        FieldChecks.floating(kind, type);
        FieldChecks.rng(kind, rng);
        return orthogonal ? Tensor.randn(type, rng, m, n).mul(0.1) : Init.orthogonal(type, rng, m, n);
    }

    /** The sign s: −1 contractive, +1 expansive. */
    @Override
    public abstract int sign();

    /** State dimension n. */
    @Override
    public long dimension() {
        return n;
    }

    /** Width m (rows of A). */
    public int width() {
        return m;
    }

    /** The activation σ. */
    @Override
    public Activation activation() {
        return sigma;
    }

    @Override
    public DataType dtype() {
        return type;
    }

    /** The trained weight parameter: A itself, or the raw W of the orthogonal parametrisation. */
    @Override
    public Parameter weightParameter() {
        return weight;
    }

    /** The bias b, {@code [m]}. */
    public Parameter bias() {
        return bias;
    }

    /**
     * The effective weight A, {@code [m, n]}: the weight parameter, or its parametrisation's value
     * ({@link Parameter#effective()}), differentiable in the parameter.
     */
    public Tensor weight() {
        return weight.effective();
    }

    /**
     * Attaches the certified bound {@code ‖A‖₂ ≤ c} ({@link SpectralNormBound#dense}) to A.
     *
     * @throws IllegalArgumentException if A is parametrised (a projection of the raw weight would not
     *                                  bound A) or c ≤ 0
     */
    public DenseGradientField constrainNorm(double c) {
        FieldChecks.positiveBound(kind + ".constrainNorm", "c", c);
        if (parametrised()) {
            throw new IllegalArgumentException(kind + ".constrainNorm: A expected a free weight but it is parametrised "
                    + "as " + weight.parametrization().describe());
        }
        weight.constrain(SpectralNormBound.dense(c));
        return this;
    }

    @Override
    public boolean parametrised() {
        return weight.parametrization() != null;
    }

    @Override
    public String weightOperator() {
        return OPERATOR.describe();
    }

    @Override
    public WeightBounds guaranteedWeightBounds() {
        double c = Guarantees.normBound(weight, weightOperator(), true);
        double l = Guarantees.inputSingularValueBound(weight);
        String origin = parametrised() ? "A = " + weight.parametrization().describe()
                : "the constraints on " + weight.name() + " " + weight.guarantees();
        return Double.isFinite(c) || l > 0 ? new WeightBounds(c, l, origin) : WeightBounds.unknown();
    }

    /**
     * What the parametrisation guarantees (it holds for every raw value); otherwise a certified
     * bound of the current A, whether or not it was projected.
     */
    @Override
    public WeightBounds currentWeightBounds() {
        return parametrised() ? guaranteedWeightBounds() : new WeightBounds(OPERATOR.upperBound(weight.value()), 0,
                "a certified bound of the current " + weight.name());
    }

    /** Power-iteration estimate of ‖A‖₂ at the current weight (a lower bound, not a bound to rely on). */
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

    /** {@code s·Aᵀσ(Ax + b)} as Gemm, σ, MatMul (and a sign), with the effective A as a constant. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        var a = weight().value();
        var g = graph.matmul(sigma.appendTo(graph, graph.linear(x, a, bias.value())), a);
        return sign() < 0 ? graph.scale(g, -1) : g;
    }

    /** {@code (s, A, b, σ)}, A evaluated once (one matrix exponential when parametrised). */
    @Override
    public GradientForm gradientForm() {
        return new GradientForm(sign(), weight(), bias, sigma, 1);
    }

    /** {@code U²·max|σ'|} with U a certified bound of the current ‖A‖. */
    @Override
    public double lipschitzBound() {
        double c = currentWeightBounds().normUpper();
        return c * c * Math.max(Math.abs(sigma.minSlope()), Math.abs(sigma.maxSlope()));
    }

    String kind() {
        return kind;
    }
}
