package io.structflow.integrators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.GradCheck;
import io.structflow.integrators.discretegradient.GaussLegendre;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import org.junit.jupiter.api.Test;

/** Autodiff defaults of the fields against closed forms, the trajectory solver, and the quadrature. */
class FieldsAndSolverTest {
    @Test
    void autodiffFields_matchClosedForms() {
        Tensor x = TestFields.randn(3, 4, 2);
        SeparableHamiltonian closed = TestFields.pendulum();
        SeparableHamiltonian auto = SeparableHamiltonian.of(p -> p.square().sum(false, 1).mul(0.5),
                q -> TestFields.cos(q).sum(false, 1).neg());
        HamiltonianField general = HamiltonianField.of(closed::hamiltonian);
        double[] expected = closed.apply(x).toDoubleArray();
        assertEquals(0, TestFields.maxAbsDiff(auto.apply(x), expected), 1e-15);
        assertEquals(0, TestFields.maxAbsDiff(general.apply(x), expected), 1e-15);
        GradientField descent = GradientField.descent(v -> v.square().sum(false, 1).mul(0.5));
        GradientField ascent = GradientField.ascent(v -> v.square().sum(false, 1).mul(0.5));
        assertEquals(0, TestFields.maxAbsDiff(descent.apply(x), x.neg().toDoubleArray()), 1e-15);
        assertEquals(0, TestFields.maxAbsDiff(ascent.apply(x), x.toDoubleArray()), 1e-15);
    }

    @Test
    void trajectory_stacksStatesAndIsDifferentiableInH() {
        Tensor x0 = TestFields.randn(4, 3, 2);
        Tensor path = Solver.trajectory(TestFields.pendulum(), ExplicitRungeKutta.heun(), x0, 0.1, 5);
        assertArrayEquals(new long[] {6, 3, 2}, path.shape());
        assertEquals(0, TestFields.maxAbsDiff(path.slice(0, 0, 1).reshape(3, 2), x0.toDoubleArray()), 0);
        Tensor two = ExplicitRungeKutta.heun().step(TestFields.pendulum(),
                ExplicitRungeKutta.heun().step(TestFields.pendulum(), x0, 0.1), 0.1);
        assertEquals(0, TestFields.maxAbsDiff(path.slice(0, 2, 3).reshape(3, 2), two.toDoubleArray()), 1e-15);
        GradCheck.Result r = GradCheck.check(xs -> Solver.trajectory(TestFields.pendulum(), new ImplicitMidpoint(
                ImplicitSolver.newton().withTolerance(1e-15)), xs[0], xs[1], 4).square().sum(), x0, TestFields.scalar(0.2));
        assertTrue(r.passed(), r.worst());
    }

    @Test
    void residual_trainsOnPairsWithoutSolve_gradientInParameters() {
        Tensor x = TestFields.randn(5, 3, 2);
        Tensor y = TestFields.randn(6, 3, 2);
        GradCheck.Result r = GradCheck.check(xs -> new ImplicitMidpoint().residual(
                TestFields.mlp(xs[0], xs[1], xs[2]), x, y, xs[3]).square().sum(),
                TestFields.randn(1, 2, 3), TestFields.randn(2, 3), TestFields.randn(3, 3, 2), TestFields.scalar(0.3));
        assertTrue(r.passed(), r.worst());
    }

    @Test
    void gaussLegendre_exactForPolynomialsOfDegree2KMinus1() {
        for (int k = 1; k <= 6; k++) {
            GaussLegendre rule = GaussLegendre.of(k);
            for (int degree = 0; degree <= 2 * k - 1; degree++) {
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    sum += rule.weights()[i] * Math.pow(rule.nodes()[i], degree);
                }
                assertEquals(1.0 / (degree + 1), sum, 1e-14, "k = " + k + ", degree " + degree);
            }
        }
    }
}
