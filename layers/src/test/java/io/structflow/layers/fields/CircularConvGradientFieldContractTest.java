package io.structflow.layers.fields;

import io.structflow.core.nn.Activation;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.Property;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

class CircularConvGradientFieldContractTest extends FieldContract {
    @Override
    protected LayerField field(DataType type, long seed) {
        return CircularConvGradientField.contractive(2, 3, 4, 3, Activation.leakyRelu(0.5), type, new SplittableRandom(seed));
    }

    @Override
    protected long[] sampleShape() {
        return new long[] {2, 4, 3};
    }

    @Override
    protected Integrator<?> integrator() {
        return new ExplicitEuler();
    }

    @Override
    protected Set<Property> declared() {
        return EnumSet.of(Property.LIPSCHITZ_1);
    }

    @Override
    protected double step() {
        return 1.9;
    }
}
