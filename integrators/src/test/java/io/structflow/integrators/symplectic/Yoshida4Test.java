package io.structflow.integrators.symplectic;

import io.structflow.integrators.Integrator;
import io.structflow.integrators.SeparableHamiltonian;

class Yoshida4Test extends SeparableContract {
    @Override
    protected Integrator<SeparableHamiltonian> integrator() {
        return new Yoshida4();
    }

    @Override
    protected int theoreticalOrder() {
        return 4;
    }
}
