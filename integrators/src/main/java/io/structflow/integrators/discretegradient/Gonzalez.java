package io.structflow.integrators.discretegradient;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.ImplicitSolver;
import io.structflow.integrators.LinearGradientField;

/**
 * Gonzalez's midpoint discrete gradient:
 * <pre>
 *   ∇̄E(x, y) = ∇E(m) + [E(y) − E(x) − ∇E(m)·(y − x)] / ‖y − x‖² · (y − x),   m = (x + y)/2
 * </pre>
 * (the correction term is dropped when {@code ‖y − x‖} is below {@code eps^{1/3}·max(1, max|x|)},
 * where it is {@code O(‖y − x‖²)} and its quotient would be round-off). Symmetric; order 2.
 * Structure: energy conserving / dissipating, see {@link DiscreteGradientMethod}. Cost per
 * residual: two energies and one gradient. Reference: O. Gonzalez, <i>Time integration and
 * discrete Hamiltonian systems</i>, J. Nonlinear Sci. 6 (1996), doi:10.1007/BF02440159.
 */
public final class Gonzalez extends DiscreteGradientMethod {
    /** With {@link ImplicitSolver#newton()}. */
    public Gonzalez() {
        this(ImplicitSolver.newton());
    }

    /** With the given solver settings. */
    public Gonzalez(ImplicitSolver solver) {
        super(solver);
    }

    @Override
    public Tensor discreteGradient(LinearGradientField field, Tensor x, Tensor y) {
        Tensor d = y.sub(x);
        Tensor g = gradient(name(), field, x.add(y).mul(0.5));
        Tensor deltaE = energy(name(), field, y).sub(energy(name(), field, x));
        Tensor numerator = deltaE.sub(g.mul(d).sum(false, 1));
        Tensor squared = d.square().sum(false, 1);
        double cut = cutoff(x);
        Tensor keep = squared.gtMask(cut * cut);
        Tensor safe = squared.add(keep.rsub(1.0));
        Tensor coefficient = numerator.mul(keep).div(safe);
        return g.add(d.mul(coefficient.reshape(x.size(0), 1)));
    }

    @Override
    public int order() {
        return 2;
    }
}
