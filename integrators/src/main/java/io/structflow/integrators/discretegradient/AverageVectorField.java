package io.structflow.integrators.discretegradient;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.ImplicitSolver;
import io.structflow.integrators.LinearGradientField;

/**
 * The average vector field (AVF) method: the discrete gradient
 * <pre>  ∇̄E(x, y) = ∫₀¹ ∇E(x + s(y − x)) ds  ≈  Σₖ wₖ ∇E(x + sₖ(y − x))</pre>
 * with a {@code K}-point {@link GaussLegendre} rule (default {@code K = 3}: exact, hence exactly
 * energy conserving, for polynomial energies of degree ≤ 2K = 6; for other energies the
 * quadrature error per step is {@code O(‖y − x‖^{2K})}). Symmetric; order 2 for every
 * {@code K ≥ 1} ({@code K = 1} is the implicit midpoint rule, which loses exact energy
 * conservation). Structure: energy conserving / dissipating, see {@link DiscreteGradientMethod}.
 * Cost per residual: one gradient on a batch of {@code K·batch} points. Reference: G. R. W.
 * Quispel, D. I. McLaren, <i>A new class of energy-preserving numerical integration methods</i>,
 * J. Phys. A 41 (2008), doi:10.1088/1751-8113/41/4/045206.
 */
public final class AverageVectorField extends DiscreteGradientMethod {
    private final GaussLegendre quadrature;

    /** Three Gauss–Legendre nodes, {@link ImplicitSolver#newton()}. */
    public AverageVectorField() {
        this(3, ImplicitSolver.newton());
    }

    /**
     * @param nodes  number of Gauss–Legendre nodes, 1 to 64
     * @param solver solver settings
     */
    public AverageVectorField(int nodes, ImplicitSolver solver) {
        super(solver);
        this.quadrature = GaussLegendre.of(nodes);
    }

    /** The quadrature rule. */
    public GaussLegendre quadrature() {
        return quadrature;
    }

    @Override
    public Tensor discreteGradient(LinearGradientField field, Tensor x, Tensor y) {
        long batch = x.size(0);
        long n = x.size(1);
        int k = quadrature.size();
        Tensor s = Tensor.of(x.dtype(), quadrature.nodes(), k, 1, 1);
        Tensor w = Tensor.of(x.dtype(), quadrature.weights(), k, 1, 1);
        Tensor d = y.sub(x);
        Tensor points = x.reshape(1, batch, n).add(d.reshape(1, batch, n).mul(s)).reshape(k * batch, n);
        return gradient(name(), field, points).reshape(k, batch, n).mul(w).sum(false, 0);
    }

    @Override
    public int order() {
        return 2;
    }
}
