package io.structflow.integrators.rungekutta;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.IntegratorContract;
import io.structflow.integrators.TestFields;
import io.structflow.integrators.VectorField;

/** The contract for methods on plain vector fields: the pendulum and an MLP field tanh(xW₁+b₁)W₂. */
abstract class RungeKuttaContract extends IntegratorContract<VectorField> {
    @Override
    protected VectorField convergenceField() {
        return TestFields.pendulum()::apply;
    }

    @Override
    protected VectorField parametrised(Tensor[] theta) {
        return TestFields.mlp(theta[0], theta[1], theta[2]);
    }

    @Override
    protected Tensor[] parameters() {
        return new Tensor[] {TestFields.randn(1, 2, 3), TestFields.randn(2, 3), TestFields.randn(3, 3, 2).mul(0.5)};
    }
}
