package io.structflow.integrators.splitting;

import io.structflow.integrators.Integrator;
import io.structflow.integrators.SplitField;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;

class LieTrotterTest extends SplittingContract {
    @Override
    protected Integrator<SplitField<VectorField, VectorField>> integrator() {
        return Splitting.lieTrotter(ExplicitRungeKutta.rk4(), ExplicitRungeKutta.rk4());
    }

    @Override
    protected int theoreticalOrder() {
        return 1;
    }
}
