package io.structflow.integrators.symplectic;

import io.structflow.integrators.Integrator;
import io.structflow.integrators.SeparableHamiltonian;

class StormerVerletTest extends SeparableContract {
    @Override
    protected Integrator<SeparableHamiltonian> integrator() {
        return new StormerVerlet();
    }

    @Override
    protected int theoreticalOrder() {
        return 2;
    }
}
