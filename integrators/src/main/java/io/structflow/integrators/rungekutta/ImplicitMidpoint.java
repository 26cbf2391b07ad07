package io.structflow.integrators.rungekutta;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.ImplicitIntegrator;
import io.structflow.integrators.ImplicitSolver;
import io.structflow.integrators.Structure;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.internal.Checks;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The implicit midpoint rule (the one-stage Gauss method):
 * <pre>  y = x + h f((x + y)/2),      residual r = y − x − h f((x + y)/2)</pre>
 * Order 2. Structure: {@link Structure#SYMPLECTIC} for Hamiltonian fields,
 * {@link Structure#QUADRATIC_INVARIANTS} (hence {@link Structure#NORM_PRESERVING} for
 * sphere-preserving fields) and {@link Structure#LINEAR_INVARIANTS}. Cost: the iterations of
 * its {@link ImplicitSolver} (default Newton), each one field evaluation plus, for Newton, a
 * per-sample Jacobian. Gradients: implicit-function theorem, see {@link ImplicitSolver}.
 * Reference: Hairer, Lubich, Wanner, <i>Geometric Numerical Integration</i>, 2nd ed., Springer
 * 2006, §VI.4, doi:10.1007/3-540-30666-8.
 */
public final class ImplicitMidpoint implements ImplicitIntegrator<VectorField> {
    private final ImplicitSolver solver;

    /** With {@link ImplicitSolver#newton()}. */
    public ImplicitMidpoint() {
        this(ImplicitSolver.newton());
    }

    /** With the given solver settings. */
    public ImplicitMidpoint(ImplicitSolver solver) {
        this.solver = Objects.requireNonNull(solver, "solver");
    }

    @Override
    public Tensor residual(VectorField field, Tensor x, Tensor y, Tensor h) {
        Tensor step = Checks.step(name(), x, h);
        Checks.requireShape(name(), "y", y, x.shape());
        Tensor midpoint = x.add(y).mul(0.5);
        return y.sub(x).sub(Checks.apply(name(), field == null ? null : field::apply, midpoint).mul(step));
    }

    @Override
    public ImplicitSolver solver() {
        return solver;
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public Set<Structure> structure() {
        return EnumSet.of(Structure.SYMPLECTIC, Structure.QUADRATIC_INVARIANTS, Structure.NORM_PRESERVING,
                Structure.LINEAR_INVARIANTS);
    }
}
