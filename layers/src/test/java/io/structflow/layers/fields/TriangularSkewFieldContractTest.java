package io.structflow.layers.fields;

import io.structflow.core.nn.Activation;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.lie.CayleyHeun;
import io.structflow.layers.Property;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

class TriangularSkewFieldContractTest extends FieldContract {
    @Override
    protected LayerField field(DataType type, long seed) {
        return new TriangularSkewField(4, 5, Activation.tanh(), type, new SplittableRandom(seed));
    }

    @Override
    protected long[] sampleShape() {
        return new long[] {4};
    }

    @Override
    protected Integrator<?> integrator() {
        return new CayleyHeun();
    }

    @Override
    protected Set<Property> declared() {
        return EnumSet.of(Property.NORM_PRESERVING);
    }
}
