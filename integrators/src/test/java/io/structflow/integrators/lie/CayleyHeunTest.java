package io.structflow.integrators.lie;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.IntegratorContract;
import io.structflow.integrators.SkewField;
import io.structflow.integrators.TestFields;

/** CayleyHeun on the free rigid body (convergence) and on S(x) = K(x) − K(x)ᵀ, K = tanh(xW + b) (gradients). */
class CayleyHeunTest extends IntegratorContract<SkewField> {
    @Override
    protected Integrator<SkewField> integrator() {
        return new CayleyHeun();
    }

    @Override
    protected int theoreticalOrder() {
        return 2;
    }

    @Override
    protected SkewField convergenceField() {
        return TestFields.rigidBody();
    }

    @Override
    protected Tensor convergenceInitial() {
        return TestFields.of(new double[] {1.0, 0.4, -0.8, -0.5, 1.1, 0.3}, 2, 3);
    }

    @Override
    protected double[] convergenceReference(double t) {
        double[] a = TestFields.rigidBodyReference(new double[] {1.0, 0.4, -0.8}, t);
        double[] b = TestFields.rigidBodyReference(new double[] {-0.5, 1.1, 0.3}, t);
        return new double[] {a[0], a[1], a[2], b[0], b[1], b[2]};
    }

    @Override
    protected SkewField parametrised(Tensor[] theta) {
        return x -> {
            Tensor k = x.matmul(theta[0]).add(theta[1]).tanh().reshape(x.size(0), 3, 3);
            return k.sub(k.transpose());
        };
    }

    @Override
    protected Tensor[] parameters() {
        return new Tensor[] {TestFields.randn(1, 3, 9), TestFields.randn(2, 9)};
    }

    @Override
    protected Tensor gradCheckState() {
        return TestFields.randn(11, 2, 3);
    }
}
