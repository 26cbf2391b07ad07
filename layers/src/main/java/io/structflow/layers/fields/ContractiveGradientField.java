package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The contractive gradient field of [CMOSS] (3.3):
 * <pre>  f(x) = −Aᵀσ(Ax + b) = −∇V(x),   V(x) = 𝟏ᵀΓ(Ax + b)</pre>
 * Its explicit Euler step {@code x − τAᵀσ(Ax + b)} is 1-Lipschitz for {@code 0 ≤ τ ≤ 2/‖A‖²} and
 * {@code σ' ∈ [0, 1]} ([CMOSS] (3.5)): a {@link io.structflow.layers.FlowLayer} with explicit Euler
 * derives {@link io.structflow.layers.Property#LIPSCHITZ_1} when its step is fixed in that interval or guaranteed in it
 * by the step's constraints (an {@link io.structflow.constraints.project.EulerStepBound} reading
 * this field's A, or a {@link io.structflow.constraints.project.StepBox} within {@code [0, 2/c²]}
 * with {@code ‖A‖ ≤ c} guaranteed). Parameters, initialisation and norm bounds: see
 * {@link DenseGradientField}.
 */
public final class ContractiveGradientField extends DenseGradientField {
    /**
     * @param n          state dimension
     * @param m          width (rows of A)
     * @param sigma      activation (LeakyReLU with slope in [0, 1], ReLU or tanh for LIPSCHITZ_1)
     * @param orthogonal parametrise {@code A = expm(W − Wᵀ)} ({@code ‖A‖ = 1})
     * @param type       FLOAT or DOUBLE
     * @param rng        seeded generator for the initialisation
     */
    public ContractiveGradientField(int n, int m, Activation sigma, boolean orthogonal, DataType type,
                                    SplittableRandom rng) {
        super("ContractiveGradientField", n, m, sigma, orthogonal, type, rng);
    }

    private ContractiveGradientField(Activation sigma, boolean orthogonal, Tensor weight, Tensor bias) {
        super("ContractiveGradientField", sigma, orthogonal, weight, bias);
    }

    /**
     * From given weights (copied): a free A {@code [m, n]} and b {@code [m]}; a wrong shape or type
     * is named.
     */
    public static ContractiveGradientField fromWeights(Activation sigma, Tensor a, Tensor b) {
        return new ContractiveGradientField(sigma, false, a, b);
    }

    /** From given weights (copied): the raw W {@code [m, n]} of {@code A = expm(W − Wᵀ)} and b {@code [m]}. */
    public static ContractiveGradientField orthogonalFromWeights(Activation sigma, Tensor w, Tensor b) {
        return new ContractiveGradientField(sigma, true, w, b);
    }

    /** A free weight A {@code [m, n]}. */
    public static ContractiveGradientField of(int n, int m, Activation sigma, DataType type, long seed) {
        return new ContractiveGradientField(n, m, sigma, false, type, new SplittableRandom(seed));
    }

    /** {@code A = expm(W − Wᵀ)} cut to {@code [m, n]}, so {@code ‖A‖₂ = 1}. */
    public static ContractiveGradientField orthogonal(int n, int m, Activation sigma, DataType type, long seed) {
        return new ContractiveGradientField(n, m, sigma, true, type, new SplittableRandom(seed));
    }

    /** {@inheritDoc} */
    @Override
    public ContractiveGradientField constrainNorm(double c) {
        super.constrainNorm(c);
        return this;
    }

    @Override
    public int sign() {
        return -1;
    }
}
