package io.structflow.integrators.splitting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.structflow.integrators.Integrator;
import io.structflow.integrators.SplitField;
import io.structflow.integrators.Structure;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class StrangTest extends SplittingContract {
    @Override
    protected Integrator<SplitField<VectorField, VectorField>> integrator() {
        return Splitting.strang(ExplicitRungeKutta.rk4(), ExplicitRungeKutta.midpoint());
    }

    @Override
    protected int theoreticalOrder() {
        return 2;
    }

    @Test
    void orderAndStructure_limitedByTheParts() {
        Splitting<VectorField, VectorField> s = Splitting.strang(new ExplicitEuler(), new ImplicitMidpoint());
        assertEquals(1, s.order());
        assertEquals(EnumSet.of(Structure.LINEAR_INVARIANTS), s.structure());
        assertEquals("Strang(ExplicitEuler, ImplicitMidpoint)", s.name());
    }
}
