package io.structflow.layers.fields;

import io.structflow.core.nn.Activation;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.Property;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

class MlpFieldContractTest extends FieldContract {
    @Override
    protected LayerField field(DataType type, long seed) {
        return new MlpField(3, 4, Activation.tanh(), type, new SplittableRandom(seed));
    }

    @Override
    protected long[] sampleShape() {
        return new long[] {3};
    }

    @Override
    protected Integrator<?> integrator() {
        return new ExplicitEuler();
    }

    @Override
    protected Set<Property> declared() {
        return EnumSet.noneOf(Property.class);
    }
}
