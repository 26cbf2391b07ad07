package io.structflow.integrators.discretegradient;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.HamiltonianField;
import io.structflow.integrators.ImplicitSolver;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.LinearGradientField;
import io.structflow.integrators.PartitionedField;
import io.structflow.integrators.TestFields;

/**
 * Itoh–Abe is symmetric (order 2) on separable Hamiltonians, so its order is measured on
 * {@code H = p²/2 − cos q + qp/2}, whose coupling term makes the coordinate increments asymmetric.
 */
class ItohAbeTest extends DiscreteGradientContract {
    @Override
    protected Integrator<LinearGradientField> integrator() {
        return new ItohAbe(ImplicitSolver.newton().withTolerance(1e-13));
    }

    @Override
    protected int theoreticalOrder() {
        return 1;
    }

    @Override
    protected LinearGradientField convergenceField() {
        return HamiltonianField.of(x -> {
            Tensor q = PartitionedField.positions(x);
            Tensor p = PartitionedField.momenta(x);
            return p.square().mul(0.5).sub(TestFields.cos(q)).add(q.mul(p).mul(0.5)).sum(false, 1);
        });
    }

    @Override
    protected double[] convergenceReference(double t) {
        double[] a = coupledReference(1.0, 0.5, t);
        double[] b = coupledReference(-0.3, 1.2, t);
        return new double[] {a[0], a[1], b[0], b[1]};
    }

    /** RK4 in plain Java, 20000 steps, for q̇ = p + q/2, ṗ = −sin q − p/2. */
    private static double[] coupledReference(double q, double p, double t) {
        int steps = 20000;
        double h = t / steps;
        for (int k = 0; k < steps; k++) {
            double k1q = p + q / 2;
            double k1p = -Math.sin(q) - p / 2;
            double q2 = q + h / 2 * k1q;
            double p2 = p + h / 2 * k1p;
            double k2q = p2 + q2 / 2;
            double k2p = -Math.sin(q2) - p2 / 2;
            double q3 = q + h / 2 * k2q;
            double p3 = p + h / 2 * k2p;
            double k3q = p3 + q3 / 2;
            double k3p = -Math.sin(q3) - p3 / 2;
            double q4 = q + h * k3q;
            double p4 = p + h * k3p;
            double k4q = p4 + q4 / 2;
            double k4p = -Math.sin(q4) - p4 / 2;
            q += h / 6 * (k1q + 2 * k2q + 2 * k3q + k4q);
            p += h / 6 * (k1p + 2 * k2p + 2 * k3p + k4p);
        }
        return new double[] {q, p};
    }
}
