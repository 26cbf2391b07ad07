package io.structflow.integrators.symplectic;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.IntegratorContract;
import io.structflow.integrators.SeparableHamiltonian;
import io.structflow.integrators.TestFields;

/**
 * The contract for separable-Hamiltonian methods: the pendulum, and a parametrised
 * {@code K(p) = Σ softplus(pA)}, {@code U(q) = |q|²/2 + Σ tanh(qW + b)} with derivatives by autodiff.
 */
abstract class SeparableContract extends IntegratorContract<SeparableHamiltonian> {
    @Override
    protected SeparableHamiltonian convergenceField() {
        return TestFields.pendulum();
    }

    @Override
    protected SeparableHamiltonian parametrised(Tensor[] theta) {
        return SeparableHamiltonian.of(p -> p.matmul(theta[0]).softplus().sum(false, 1),
                q -> q.square().sum(false, 1).mul(0.5).add(q.matmul(theta[1]).add(theta[2]).tanh().sum(false, 1)));
    }

    @Override
    protected Tensor[] parameters() {
        return new Tensor[] {TestFields.randn(1, 1, 3), TestFields.randn(2, 1, 3), TestFields.randn(3, 3)};
    }
}
