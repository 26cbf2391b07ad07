package io.structflow.layers.fields;

import io.structflow.core.nn.Activation;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.splitting.Splitting;
import io.structflow.layers.Property;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

class DivergenceFreeFieldContractTest extends FieldContract {
    @Override
    protected LayerField field(DataType type, long seed) {
        return new DivergenceFreeField(2, 4, Activation.tanh(), type, new SplittableRandom(seed));
    }

    @Override
    protected long[] sampleShape() {
        return new long[] {2};
    }

    @Override
    protected Integrator<?> integrator() {
        return Splitting.strang(new ExplicitEuler(), new ExplicitEuler());
    }

    @Override
    protected Set<Property> declared() {
        return EnumSet.of(Property.VOLUME_PRESERVING, Property.INVERTIBLE, Property.SYMPLECTIC);
    }
}
