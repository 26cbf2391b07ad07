package io.structflow.layers.fields;

import io.structflow.core.nn.Activation;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.layers.Property;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

class MassPreservingFieldContractTest extends FieldContract {
    @Override
    protected LayerField field(DataType type, long seed) {
        return new MassPreservingField(4, 5, Activation.tanh(), type, new SplittableRandom(seed));
    }

    @Override
    protected long[] sampleShape() {
        return new long[] {4};
    }

    @Override
    protected Integrator<?> integrator() {
        return ExplicitRungeKutta.rk4();
    }

    @Override
    protected Set<Property> declared() {
        return EnumSet.of(Property.MASS_PRESERVING);
    }
}
