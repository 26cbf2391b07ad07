package io.structflow.layers.fields;

import io.structflow.core.nn.Activation;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.Property;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

class ConvContractiveGradientFieldContractTest extends FieldContract {
    @Override
    protected LayerField field(DataType type, long seed) {
        return new ConvContractiveGradientField(2, 3, 3, 2, 4, 6, Activation.relu(), type, new SplittableRandom(seed)).constrainNorm(1);
    }

    @Override
    protected long[] sampleShape() {
        return new long[] {2, 4, 6};
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
        return 1.5;
    }
}
