package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The SympNet gradient module (Jin et al. 2020; [CMOSS] §4.1):
 * <pre>
 *   UP:   p ← p + Kᵀ diag(a) σ(Kq + b)        LOW:   q ← q + Kᵀ diag(a) σ(Kp + b)
 * </pre>
 * with {@code K [width, d]}, {@code a, b [width]}. The shift is {@code ∇(aᵀΓ(Ku + b))} with Γ' = σ,
 * so its Jacobian {@code Kᵀdiag(a ⊙ σ'(Ku + b))K} is symmetric and the module is exactly
 * symplectic (see {@link SympNetModule}). Cost: two {@code [batch, d]×[d, width]} products.
 * Initialisation: K Xavier-uniform, a ~ N(0, 1/width), b = 0.
 */
public final class GradientModule extends SympNetModule {
    private final Parameter kernel;
    private final Parameter scale;
    private final Parameter bias;
    private final Activation sigma;

    /**
     * @param dimension d ≥ 1
     * @param width     hidden width ≥ 1
     * @param half      the half moved
     * @param sigma     σ (tanh in the pendulum experiment)
     */
    public GradientModule(int dimension, int width, Half half, Activation sigma, long seed, DataType type) {
        this(dimension, width, half, sigma, new SplittableRandom(seed), type);
    }

    private GradientModule(int dimension, int width, Half half, Activation sigma, SplittableRandom rng, DataType type) {
        this(half, sigma, Init.xavierUniform(type, rng, Checks.atLeast("GradientModule", "width", 1, width),
                        Checks.atLeast("GradientModule", "dimension", 1, dimension)),
                Tensor.randn(type, rng, width).mul(1.0 / Math.sqrt(width)), Tensor.zeros(type, width));
    }

    /** Copies the tensors, already checked, into parameters. */
    private GradientModule(Half half, Activation sigma, Tensor K, Tensor a, Tensor b) {
        super((int) K.size(1), half);
        Checks.notNull("GradientModule", "sigma", sigma);
        this.sigma = sigma;
        kernel = register("K", Parameter.of("K", K));
        scale = register("a", Parameter.of("a", a));
        bias = register("b", Parameter.of("b", b));
    }

    /**
     * The module with the given weights, copied into the parameters of the same names.
     *
     * @param half  the half moved
     * @param sigma σ
     * @param K     {@code [width, d]}
     * @param a     {@code [width]}
     * @param b     {@code [width]}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static GradientModule fromWeights(Half half, Activation sigma, Tensor K, Tensor a, Tensor b) {
        GivenWeights given = new GivenWeights("GradientModule.fromWeights");
        given.require("K", K, "width", "d");
        given.require("a", a, "width");
        given.require("b", b, "width");
        return new GradientModule(half, sigma, K, a, b);
    }

    /** K, {@code [width, d]}. */
    public Parameter kernel() {
        return kernel;
    }

    /** a, {@code [width]}. */
    public Parameter scale() {
        return scale;
    }

    /** b, {@code [width]}. */
    public Parameter bias() {
        return bias;
    }

    @Override
    protected Tensor shift(Tensor u) {
        return sigma.apply(u.matmul(kernel, false, true).add(bias)).mul(scale).matmul(kernel, false, false);
    }

    /** {@code Kᵀ diag(a) σ(Ku + b)} as Gemm, σ, Mul, MatMul. */
    @Override
    protected InferenceGraph.Value appendShift(InferenceGraph graph, InferenceGraph.Value u) {
        var k = kernel.value();
        var z = sigma.appendTo(graph, graph.linear(u, k, bias.value()));
        return graph.matmul(graph.mulConstant(z, scale.value()), k);
    }
}
