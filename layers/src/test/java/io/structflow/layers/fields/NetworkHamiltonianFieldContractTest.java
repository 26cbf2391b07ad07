package io.structflow.layers.fields;

import io.structflow.core.nn.Activation;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import io.structflow.layers.Property;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

class NetworkHamiltonianFieldContractTest extends FieldContract {
    @Override
    protected LayerField field(DataType type, long seed) {
        return new NetworkHamiltonianField(4, 5, type, new SplittableRandom(seed));
    }

    @Override
    protected long[] sampleShape() {
        return new long[] {4};
    }

    @Override
    protected Integrator<?> integrator() {
        return new ImplicitMidpoint();
    }

    @Override
    protected Set<Property> declared() {
        return EnumSet.of(Property.SYMPLECTIC, Property.VOLUME_PRESERVING);
    }
}
