package io.structflow.layers.fields;

import io.structflow.core.nn.Activation;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.layers.Property;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.EnumSet;
import java.util.Set;

class ExpansiveGradientFieldContractTest extends FieldContract {
    @Override
    protected LayerField field(DataType type, long seed) {
        return ExpansiveGradientField.of(4, 5, Activation.tanh(), type, seed);
    }

    @Override
    protected long[] sampleShape() {
        return new long[] {4};
    }

    @Override
    protected Integrator<?> integrator() {
        return ExplicitRungeKutta.heun();
    }

    @Override
    protected Set<Property> declared() {
        return EnumSet.noneOf(Property.class);
    }
}
