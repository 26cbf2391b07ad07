package io.structflow.integrators.rungekutta;

import io.structflow.integrators.Integrator;
import io.structflow.integrators.VectorField;

class RK4Test extends RungeKuttaContract {
    @Override
    protected Integrator<VectorField> integrator() {
        return ExplicitRungeKutta.rk4();
    }

    @Override
    protected int theoreticalOrder() {
        return 4;
    }
}
