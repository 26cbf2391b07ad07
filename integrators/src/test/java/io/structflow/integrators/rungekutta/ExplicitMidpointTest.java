package io.structflow.integrators.rungekutta;

import io.structflow.integrators.Integrator;
import io.structflow.integrators.VectorField;

class ExplicitMidpointTest extends RungeKuttaContract {
    @Override
    protected Integrator<VectorField> integrator() {
        return ExplicitRungeKutta.midpoint();
    }

    @Override
    protected int theoreticalOrder() {
        return 2;
    }
}
