package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The expansive gradient field of [CMOSS] (3.7):
 * <pre>  f(x) = +Aᵀσ(Ax + b) = +∇V(x),   V(x) = 𝟏ᵀΓ(Ax + b)</pre>
 * Its explicit Euler step {@code x + τAᵀσ(Ax + b)} has Lipschitz constant at most
 * {@code 1 + τ‖A‖²σ'_max} for {@code τ ≥ 0}; it is combined with contractive steps in the
 * non-expansive pairs of (3.10). It guarantees no property by itself. Parameters, initialisation
 * and norm bounds: see {@link DenseGradientField}.
 */
public final class ExpansiveGradientField extends DenseGradientField {
    /**
     * @param n          state dimension
     * @param m          width (rows of A)
     * @param sigma      activation
     * @param orthogonal parametrise {@code A = expm(W − Wᵀ)} ({@code ‖A‖ = 1})
     * @param type       FLOAT or DOUBLE
     * @param rng        seeded generator for the initialisation
     */
    public ExpansiveGradientField(int n, int m, Activation sigma, boolean orthogonal, DataType type,
                                  SplittableRandom rng) {
        super("ExpansiveGradientField", n, m, sigma, orthogonal, type, rng);
    }

    private ExpansiveGradientField(Activation sigma, boolean orthogonal, Tensor weight, Tensor bias) {
        super("ExpansiveGradientField", sigma, orthogonal, weight, bias);
    }

    /**
     * From given weights (copied): a free A {@code [m, n]} and b {@code [m]}; a wrong shape or type
     * is named.
     */
    public static ExpansiveGradientField fromWeights(Activation sigma, Tensor a, Tensor b) {
        return new ExpansiveGradientField(sigma, false, a, b);
    }

    /** From given weights (copied): the raw W {@code [m, n]} of {@code A = expm(W − Wᵀ)} and b {@code [m]}. */
    public static ExpansiveGradientField orthogonalFromWeights(Activation sigma, Tensor w, Tensor b) {
        return new ExpansiveGradientField(sigma, true, w, b);
    }

    /** A free weight A {@code [m, n]}. */
    public static ExpansiveGradientField of(int n, int m, Activation sigma, DataType type, long seed) {
        return new ExpansiveGradientField(n, m, sigma, false, type, new SplittableRandom(seed));
    }

    /** {@code A = expm(W − Wᵀ)} cut to {@code [m, n]}, so {@code ‖A‖₂ = 1}. */
    public static ExpansiveGradientField orthogonal(int n, int m, Activation sigma, DataType type, long seed) {
        return new ExpansiveGradientField(n, m, sigma, true, type, new SplittableRandom(seed));
    }

    /** {@inheritDoc} */
    @Override
    public ExpansiveGradientField constrainNorm(double c) {
        super.constrainNorm(c);
        return this;
    }

    @Override
    public int sign() {
        return 1;
    }
}
