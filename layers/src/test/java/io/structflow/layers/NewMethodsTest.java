package io.structflow.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.integrators.ButcherTableau;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.symplectic.Yoshida4;
import io.structflow.layers.fields.GeneralGradientField;
import io.structflow.layers.fields.SeparableHamiltonianField;
import io.structflow.layers.verify.Check;
import io.structflow.layers.verify.PropertyChecks;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The proof of the trait design (issue 19): two methods added with no line changed in
 * {@code layers/src/main} — Yoshida's fourth-order composition of Störmer–Verlet and Ralston's
 * third-order tableau — get their properties and bounds from the rule table, confirmed on random
 * inputs by {@link PropertyChecks}.
 */
class NewMethodsTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void yoshida4_onASeparableHamiltonian_isSymplecticVolumePreservingAndInvertible() {
        FlowLayer<SeparableHamiltonianField> layer = new FlowLayer<>(
                new SeparableHamiltonianField(4, 6, Activation.tanh(), D, new SplittableRandom(1)), new Yoshida4(),
                FlowLayer.stepParameter(0.4, D), 2);
        assertEquals(Set.of(Property.SYMPLECTIC, Property.VOLUME_PRESERVING, Property.INVERTIBLE), layer.properties());
        Tensor x = Tensor.randn(D, new SplittableRandom(2), 8, 4);
        for (Property p : layer.properties()) {
            Check c = PropertyChecks.check(layer, p, x, 3);
            assertTrue(c.passed(), c.toString());
        }
    }

    @Test
    void ralston3_boundIsTheTableauBound_andHoldsOnRandomPairs() {
        GeneralGradientField field = new GeneralGradientField(3, 5, Activation.tanh(), D, new SplittableRandom(4));
        double tau = 0.35;
        FlowLayer<GeneralGradientField> layer = FlowLayer.fixedStep(field,
                new ExplicitRungeKutta(ButcherTableau.RALSTON3), 2 * tau, 2, D);
        double expected = Math.pow(ButcherTableau.RALSTON3.lipschitzBound(tau, field.lipschitzBound()), 2);
        assertEquals(expected, layer.lipschitzBound(), 1e-12 * expected);
        assertTrue(Double.isFinite(expected) && expected > 1, "bound " + expected);
        Check c = PropertyChecks.lipschitzBound(layer, Tensor.randn(D, new SplittableRandom(5), 16, 3), 6);
        assertTrue(c.passed(), c.toString());
    }
}
