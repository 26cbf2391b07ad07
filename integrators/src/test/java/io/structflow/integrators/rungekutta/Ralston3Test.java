package io.structflow.integrators.rungekutta;

import io.structflow.integrators.ButcherTableau;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.VectorField;

class Ralston3Test extends RungeKuttaContract {
    @Override
    protected Integrator<VectorField> integrator() {
        return new ExplicitRungeKutta(ButcherTableau.RALSTON3);
    }

    @Override
    protected int theoreticalOrder() {
        return 3;
    }
}
