package io.structflow.integrators.symplectic;

import io.structflow.integrators.Integrator;
import io.structflow.integrators.SeparableHamiltonian;

class SymplecticEulerQFirstTest extends SeparableContract {
    @Override
    protected Integrator<SeparableHamiltonian> integrator() {
        return new SymplecticEuler(SymplecticEuler.Variant.Q_FIRST);
    }

    @Override
    protected int theoreticalOrder() {
        return 1;
    }
}
