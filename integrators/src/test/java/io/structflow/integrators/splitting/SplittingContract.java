package io.structflow.integrators.splitting;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.IntegratorContract;
import io.structflow.integrators.SplitField;
import io.structflow.integrators.TestFields;
import io.structflow.integrators.VectorField;

/** The contract for splittings: the pendulum split into drift and kick, and a sum of two MLP fields. */
abstract class SplittingContract extends IntegratorContract<SplitField<VectorField, VectorField>> {
    @Override
    protected SplitField<VectorField, VectorField> convergenceField() {
        return TestFields.splitPendulum();
    }

    @Override
    protected SplitField<VectorField, VectorField> parametrised(Tensor[] theta) {
        return SplitField.of(TestFields.mlp(theta[0], theta[1], theta[2]), TestFields.mlp(theta[3], theta[4], theta[5]));
    }

    @Override
    protected Tensor[] parameters() {
        return new Tensor[] {TestFields.randn(1, 2, 3), TestFields.randn(2, 3), TestFields.randn(3, 3, 2).mul(0.5),
            TestFields.randn(4, 2, 2), TestFields.randn(5, 2), TestFields.randn(6, 2, 2).mul(0.5)};
    }
}
