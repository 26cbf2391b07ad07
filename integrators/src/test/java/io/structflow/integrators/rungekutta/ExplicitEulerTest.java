package io.structflow.integrators.rungekutta;

import io.structflow.integrators.Integrator;
import io.structflow.integrators.VectorField;

class ExplicitEulerTest extends RungeKuttaContract {
    @Override
    protected Integrator<VectorField> integrator() {
        return new ExplicitEuler();
    }

    @Override
    protected int theoreticalOrder() {
        return 1;
    }
}
