package io.structflow.integrators.rungekutta;

import io.structflow.integrators.Integrator;
import io.structflow.integrators.VectorField;

class HeunTest extends RungeKuttaContract {
    @Override
    protected Integrator<VectorField> integrator() {
        return ExplicitRungeKutta.heun();
    }

    @Override
    protected int theoreticalOrder() {
        return 2;
    }
}
