package io.structflow.integrators.discretegradient;

import io.structflow.integrators.ImplicitSolver;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.LinearGradientField;

class AverageVectorFieldTest extends DiscreteGradientContract {
    private static final ImplicitSolver TIGHT = ImplicitSolver.newton().withTolerance(1e-15);

    @Override
    protected Integrator<LinearGradientField> integrator() {
        return new AverageVectorField(3, TIGHT);
    }

    @Override
    protected int theoreticalOrder() {
        return 2;
    }
}
