package io.structflow.integrators.discretegradient;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.HamiltonianField;
import io.structflow.integrators.IntegratorContract;
import io.structflow.integrators.LinearGradientField;
import io.structflow.integrators.TestFields;

/**
 * The contract for discrete gradient methods: the pendulum as a Hamiltonian field, and a
 * parametrised {@code H(x) = |x|²/2 + Σ tanh(xW + b)} with {@code 𝕁∇H} by autodiff.
 */
abstract class DiscreteGradientContract extends IntegratorContract<LinearGradientField> {
    @Override
    protected LinearGradientField convergenceField() {
        return TestFields.pendulum();
    }

    @Override
    protected LinearGradientField parametrised(Tensor[] theta) {
        return HamiltonianField.of(x -> x.square().sum(false, 1).mul(0.5)
                .add(x.matmul(theta[0]).add(theta[1]).tanh().sum(false, 1)));
    }

    @Override
    protected Tensor[] parameters() {
        return new Tensor[] {TestFields.randn(1, 2, 3), TestFields.randn(2, 3)};
    }
}
