package io.structflow.integrators.discretegradient;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.ImplicitIntegrator;
import io.structflow.integrators.ImplicitSolver;
import io.structflow.integrators.LinearGradientField;
import io.structflow.integrators.Structure;
import io.structflow.integrators.internal.Checks;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A discrete gradient method for a field {@code f = L∇E} ({@link LinearGradientField}):
 * <pre>  y = x + h L ∇̄E(x, y),      residual r = y − x − h L ∇̄E(x, y)</pre>
 * where the discrete gradient {@code ∇̄E} satisfies {@code ∇̄E(x, y)·(y − x) = E(y) − E(x)} and
 * {@code ∇̄E(x, x) = ∇E(x)}. Hence {@code E(y) − E(x) = h ∇̄Eᵀ L ∇̄E}: zero when {@code L} is skew
 * ({@link Structure#ENERGY_CONSERVING}), {@code −h‖∇̄E‖² ≤ 0} for descent {@code L = −I}
 * ({@link Structure#ENERGY_DISSIPATING}) — for every step size, up to the solver's tolerance.
 * The step is implicit and solved by {@link ImplicitSolver} (default Newton); gradients by the
 * implicit-function theorem. Reference: McLachlan, Quispel, Robidoux, <i>Geometric integration
 * using discrete gradients</i>, Phil. Trans. R. Soc. A 357 (1999), doi:10.1098/rsta.1999.0363.
 */
public abstract class DiscreteGradientMethod implements ImplicitIntegrator<LinearGradientField> {
    private final ImplicitSolver solver;

    /** With the given solver settings. */
    protected DiscreteGradientMethod(ImplicitSolver solver) {
        this.solver = Objects.requireNonNull(solver, "solver");
    }

    /**
     * The discrete gradient {@code ∇̄E(x, y)}.
     *
     * @param field the field supplying {@code E} and {@code ∇E}
     * @param x     {@code [batch, n]}; not mutated
     * @param y     {@code [batch, n]}; not mutated
     * @return {@code [batch, n]}; differentiable in both arguments and the field's parameters
     */
    public abstract Tensor discreteGradient(LinearGradientField field, Tensor x, Tensor y);

    @Override
    public final Tensor residual(LinearGradientField field, Tensor x, Tensor y, Tensor h) {
        Tensor step = Checks.step(name(), x, h);
        Checks.requireRank(name(), "x", x, 2);
        Checks.requireShape(name(), "y", y, x.shape());
        if (field == null) {
            throw new IllegalArgumentException(name() + ": field expected a LinearGradientField but got null");
        }
        Tensor direction = field.applyMatrix(discreteGradient(field, x, y));
        Checks.requireShape(name(), "field.applyMatrix(∇̄E)", direction, x.shape());
        return y.sub(x).sub(direction.mul(step));
    }

    @Override
    public final ImplicitSolver solver() {
        return solver;
    }

    @Override
    public Set<Structure> structure() {
        return EnumSet.of(Structure.ENERGY_CONSERVING, Structure.ENERGY_DISSIPATING);
    }

    /** {@code E} at {@code x}, checked to be {@code [batch]}. */
    static Tensor energy(String who, LinearGradientField field, Tensor x) {
        Tensor e = field.energy(x);
        if (e == null || e.rank() != 1 || e.size(0) != x.size(0)) {
            throw new IllegalArgumentException(who + ": field energy expected shape [" + x.size(0) + "] but got "
                    + (e == null ? "null" : Shapes.str(e.shape())));
        }
        return e;
    }

    /** {@code ∇E} at {@code x}, checked to have {@code x}'s shape. */
    static Tensor gradient(String who, LinearGradientField field, Tensor x) {
        Tensor g = field.energyGradient(x);
        if (g == null) {
            throw new IllegalArgumentException(who + ": field energyGradient expected shape " + Shapes.str(x.shape())
                    + " but got null");
        }
        Checks.requireShape(who, "field.energyGradient(x)", g, x.shape());
        return g;
    }

    /**
     * Below this size the difference quotients of a discrete gradient are replaced by derivatives:
     * {@code eps^{1/3}·max(1, max|x|)}, where the round-off of a quotient ({@code eps|E|/δ}) and
     * the error of the replacement ({@code O(δ²)}) balance.
     */
    static double cutoff(Tensor x) {
        double eps = x.dtype() == DataType.DOUBLE ? Math.ulp(1.0) : Math.ulp(1.0f);
        return Math.cbrt(eps) * Math.max(1.0, x.value().amaxNumber().doubleValue());
    }
}
