package io.structflow.layers.fields;

import io.structflow.core.nn.Activation;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.Property;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.EnumSet;
import java.util.Set;

class ContractiveGradientFieldContractTest extends FieldContract {
    @Override
    protected LayerField field(DataType type, long seed) {
        return ContractiveGradientField.orthogonal(4, 5, Activation.leakyRelu(0.5), type, seed);
    }

    @Override
    protected long[] sampleShape() {
        return new long[] {4};
    }

    @Override
    protected Integrator<?> integrator() {
        return new ExplicitEuler();
    }

    @Override
    protected Set<Property> declared() {
        return EnumSet.of(Property.LIPSCHITZ_1);
    }
}
