package io.structflow.imaging;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;

/**
 * ISTA, the iterative shrinkage-thresholding algorithm for the lasso
 * {@code min_x ½‖Ax − y‖² + λ‖x‖₁}:
 * <pre>
 *   xₖ₊₁ = S_{τλ}(xₖ − τAᵀ(Axₖ − y)),     S_t(v) = sign(v)·max(|v| − t, 0),     0 &lt; τ &lt; 2/‖A‖₂²,
 * </pre>
 * proximal gradient with {@link SoftThreshold}. A lasso minimiser is biased towards 0 by about
 * λ on its support; {@link #debias} removes the bias by least squares on the support found.
 * Reference: Daubechies, Defrise, De Mol, Comm. Pure Appl. Math. 57 (2004) 1413–1457,
 * doi:10.1002/cpa.20042; Beck &amp; Teboulle, SIAM J. Imaging Sci. 2 (2009) 183–202,
 * doi:10.1137/080716542.
 */
public final class Ista {
    private final ProximalGradient method;
    private final SoftThreshold prox;

    /**
     * @param a      the forward operator A (a {@link MatrixOperator} in compressed sensing)
     * @param y      the measurements (not mutated)
     * @param lambda the ℓ¹ weight λ ≥ 0
     * @param tau    step τ &gt; 0 (converges for τ &lt; 2/‖A‖₂²)
     */
    public Ista(LinearOperator a, Tensor y, double lambda, double tau) {
        this.prox = new SoftThreshold(lambda);
        this.method = new ProximalGradient(new DataFidelity(a, y), prox, tau);
    }

    /** The ℓ¹ weight λ. */
    public double lambda() {
        return prox.lambda();
    }

    /** Iterates from {@code x0} (not mutated); see {@link ProximalGradient#run(Tensor, IterationSettings)}. */
    public Reconstruction run(Tensor x0, IterationSettings settings) {
        return method.run(x0, settings);
    }

    /**
     * Debiasing: least squares restricted to the support {@code S = {i : |xᵢ| > threshold}} of
     * a lasso solution, {@code min ½‖Az − y‖²} over z with {@code zᵢ = 0} outside S, solved by
     * projected gradient onto that subspace (proximal gradient whose prox zeroes the entries
     * outside S) started from x. In noiseless compressed sensing with the true support found,
     * this recovers the signal exactly (up to the tolerance).
     *
     * @param a         the forward operator
     * @param y         the measurements
     * @param x         the lasso solution (not mutated)
     * @param threshold entries with magnitude above it form the support, ≥ 0
     * @param tau       step τ &gt; 0 (τ &lt; 2/‖A‖₂²)
     * @param settings  stopping rule
     */
    public static Reconstruction debias(LinearOperator a, Tensor y, Tensor x, double threshold, double tau,
                                        IterationSettings settings) {
        Messages.nonNegative("Ista.debias", "threshold", threshold);
        Tensor mask;
        try (GradMode.Scope s = GradMode.noGrad()) {
            mask = x.abs().gtMask(threshold);
        }
        Prox support = new Prox() {
            @Override
            public Tensor apply(Tensor v, double step) {
                return v.mul(mask);
            }

            @Override
            public double value(Tensor z) {
                double outside = Norms.norm(z.sub(z.mul(mask)));
                return outside == 0 ? 0 : Double.POSITIVE_INFINITY;
            }
        };
        return new ProximalGradient(new DataFidelity(a, y), support, tau).run(x, settings);
    }
}
