package io.structflow.integrators.rungekutta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.ImplicitSolver;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.TestFields;
import io.structflow.integrators.VectorField;
import org.junit.jupiter.api.Test;

class ImplicitMidpointTest extends RungeKuttaContract {
    @Override
    protected Integrator<VectorField> integrator() {
        return new ImplicitMidpoint(ImplicitSolver.newton().withTolerance(1e-15));
    }

    @Override
    protected int theoreticalOrder() {
        return 2;
    }

    @Test
    void step_fixedPointAndNewton_agreeToTolerance() {
        Tensor x = TestFields.randn(3, 4, 2);
        Tensor newton = new ImplicitMidpoint(ImplicitSolver.newton()).step(convergenceField(), x, 0.2);
        Tensor fixed = new ImplicitMidpoint(ImplicitSolver.fixedPoint()).step(convergenceField(), x, 0.2);
        assertEquals(0, TestFields.maxAbsDiff(newton, fixed.toDoubleArray()), 1e-11);
    }

    @Test
    void residual_vanishesAtTheStepAndNotElsewhere() {
        ImplicitMidpoint method = new ImplicitMidpoint();
        Tensor x = TestFields.randn(3, 4, 2);
        Tensor h = TestFields.scalar(0.2);
        Tensor y = method.step(convergenceField(), x, h);
        double atStep = method.residual(convergenceField(), x, y, h).value().amaxNumber().doubleValue();
        double perturbed = method.residual(convergenceField(), x, y.add(1e-3), h).value().amaxNumber().doubleValue();
        assertTrue(atStep < 1e-12, "residual at the solution " + atStep);
        assertTrue(perturbed > 5e-4, "residual off the solution " + perturbed);
    }
}
