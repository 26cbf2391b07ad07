package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The SympNet activation module (Jin et al. 2020; [CMOSS] §4.1):
 * <pre>
 *   UP:   p ← p + diag(a) σ(q)        LOW:   q ← q + diag(a) σ(p)
 * </pre>
 * with {@code a [d]}. The shift is the gradient of {@code aᵀΓ(u)} (a diagonal Jacobian), so the
 * module is exactly symplectic. Cost: one activation. Initialisation: a ~ N(0, 1/d).
 */
public final class ActivationModule extends SympNetModule {
    private final Parameter scale;
    private final Activation sigma;

    /**
     * @param dimension d ≥ 1
     * @param half      the half moved
     * @param sigma     σ
     */
    public ActivationModule(int dimension, Half half, Activation sigma, long seed, DataType type) {
        this(half, sigma, Tensor.randn(type, new SplittableRandom(seed),
                Checks.atLeast("ActivationModule", "dimension", 1, dimension)).mul(1.0 / Math.sqrt(dimension)));
    }

    /** Copies the tensor, already checked, into the parameter. */
    private ActivationModule(Half half, Activation sigma, Tensor a) {
        super((int) a.size(0), half);
        Checks.notNull("ActivationModule", "sigma", sigma);
        this.sigma = sigma;
        scale = register("a", Parameter.of("a", a));
    }

    /**
     * The module with the given weight, copied into the parameter of the same name.
     *
     * @param half  the half moved
     * @param sigma σ
     * @param a     {@code [d]}
     * @throws IllegalArgumentException naming the argument if its shape or element type is wrong
     */
    public static ActivationModule fromWeights(Half half, Activation sigma, Tensor a) {
        new GivenWeights("ActivationModule.fromWeights").require("a", a, "d");
        return new ActivationModule(half, sigma, a);
    }

    /** a, {@code [d]}. */
    public Parameter scale() {
        return scale;
    }

    @Override
    protected Tensor shift(Tensor u) {
        return sigma.apply(u).mul(scale);
    }

    /** {@code diag(a) σ(u)} as σ and Mul. */
    @Override
    protected InferenceGraph.Value appendShift(InferenceGraph graph, InferenceGraph.Value u) {
        return graph.mulConstant(sigma.appendTo(graph, u), scale.value());
    }
}
