package io.structflow.integrators.rungekutta;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.Structure;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.internal.Checks;
import java.util.EnumSet;
import java.util.Set;

/**
 * Explicit Euler, the ResNet step:
 * <pre>  y = x + h f(x)</pre>
 * [CMOSS] (1.2). Order 1. Structure: {@link Structure#LINEAR_INVARIANTS}. Cost: one field
 * evaluation. (Equal to {@code new ExplicitRungeKutta(ButcherTableau.EULER)}, written out.)
 */
public final class ExplicitEuler implements Integrator<VectorField> {
    @Override
    public Tensor step(VectorField field, Tensor x, Tensor h) {
        Tensor step = Checks.step(name(), x, h);
        return x.add(Checks.apply(name(), field, x).mul(step));
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public Set<Structure> structure() {
        return EnumSet.of(Structure.LINEAR_INVARIANTS);
    }
}
