package io.structflow.layers.fields;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.VectorField;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.Gradients;
import io.structflow.layers.Property;
import io.structflow.layers.verify.Check;
import io.structflow.layers.verify.PropertyChecks;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The contract every field family's test subclasses (as {@code IntegratorContract} is for
 * methods): float64 finite-difference gradients in the input and the parameters, the traits it
 * declares derived by a {@link FlowLayer} and checked on random inputs by their definitions,
 * float32 and float64 versions of the same field agreeing, and bad shapes named.
 */
abstract class FieldContract {
    /** A fresh field of the given element type, the same weights for the same seed. */
    protected abstract LayerField field(DataType type, long seed);

    /** The shape of one input sample, e.g. {@code {4}} or {@code {2, 4, 6}}. */
    protected abstract long[] sampleShape();

    /** An integrator the field declares properties under. */
    protected abstract Integrator<?> integrator();

    /** The properties a layer of this field and {@link #integrator()} must derive (step {@link #step()}). */
    protected abstract Set<Property> declared();

    /** The fixed step of the layer checked for {@link #declared()}. */
    protected double step() {
        return 0.3;
    }

    private long[] batch(int b) {
        long[] s = new long[sampleShape().length + 1];
        s[0] = b;
        System.arraycopy(sampleShape(), 0, s, 1, sampleShape().length);
        return s;
    }

    private Tensor inputs(DataType type, long seed) {
        return Tensor.randn(type, new SplittableRandom(seed), batch(3)).add(0.3);
    }

    @Test
    void gradients_inputAndParameters_matchFiniteDifferences_float64() {
        LayerField f = field(DataType.DOUBLE, 1);
        Tensor w = Tensor.randn(DataType.DOUBLE, new SplittableRandom(2), batch(3));
        double worst = Gradients.worstScaledError((Module) f, f::apply, inputs(DataType.DOUBLE, 3), w);
        assertTrue(worst <= 1, "scaled finite-difference error " + worst);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void declaredTraits_areDerivedAndHoldOnRandomInputs() {
        LayerField f = field(DataType.DOUBLE, 4);
        FlowLayer layer = FlowLayer.fixedStep((VectorField) f, (Integrator) integrator(), step(), 1, DataType.DOUBLE);
        layer.parameters().forEach(p -> ((Parameter) p).projectInPlace());
        Set<Property> claimed = layer.properties();
        assertTrue(claimed.containsAll(declared()), "declared " + declared() + " but derived " + claimed + ": "
                + layer.explain());
        Tensor x = inputs(DataType.DOUBLE, 5);
        for (Property p : claimed) {
            Check c = PropertyChecks.check(layer, p, x, 6);
            assertTrue(c.passed(), c.toString());
        }
    }

    @Test
    void float32AndFloat64_sameSeed_agree() {
        LayerField single = field(DataType.FLOAT, 7);
        LayerField dbl = field(DataType.DOUBLE, 7);
        assertEquals(DataType.FLOAT, single.dtype());
        assertEquals(DataType.DOUBLE, dbl.dtype());
        Tensor x = inputs(DataType.DOUBLE, 8);
        double[] want = dbl.apply(x).toDoubleArray();
        double[] got = single.apply(x.to(DataType.FLOAT)).toDoubleArray();
        double scale = Arrays.stream(want).map(Math::abs).max().orElse(1) + 1;
        assertArrayEquals(want, got, 1e-4 * scale);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dbl.checkInput("test", x.to(DataType.FLOAT)));
        assertTrue(e.getMessage().contains("DOUBLE"), e.getMessage());
    }

    @Test
    void wrongShape_isNamedWithBothShapes() {
        LayerField f = field(DataType.DOUBLE, 9);
        long[] wrong = batch(2);
        wrong[wrong.length - 1] += 1;
        Tensor x = Tensor.zeros(DataType.DOUBLE, wrong);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.checkInput("test", x));
        assertTrue(e.getMessage().startsWith("test: x expected shape [")
                && e.getMessage().contains("but got " + Arrays.toString(wrong)), e.getMessage());
    }
}
