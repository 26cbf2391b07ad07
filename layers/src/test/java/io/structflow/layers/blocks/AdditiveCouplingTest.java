package io.structflow.layers.blocks;

import static io.structflow.layers.blocks.BlockChecks.D;
import static io.structflow.layers.blocks.BlockChecks.determinant;
import static io.structflow.layers.blocks.BlockChecks.gradientError;
import static io.structflow.layers.blocks.BlockChecks.jacobian;
import static io.structflow.layers.blocks.BlockChecks.randn;
import static io.structflow.layers.blocks.BlockChecks.randomise;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Lambda;
import io.structflow.layers.Property;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdditiveCouplingTest {

    @Test
    void inverse_undoesForwardExactly() {
        AdditiveCoupling block = AdditiveCoupling.perceptron(5, 8, Activation.tanh(), 1, D);
        randomise(block, "b1", 0.5, 2);
        Tensor x = randn(3, 32, 5);
        Tensor y = block.forward(x);
        assertTrue(BlockChecks.maxRatio(t -> t, y, x) > 1e-2, "the block is not the identity");
        assertArrayEquals(x.toDoubleArray(), block.inverse(y).toDoubleArray(), 1e-12);
        assertArrayEquals(y.toDoubleArray(), block.forward(block.inverse(y)).toDoubleArray(), 1e-12);
        assertEquals(Set.of(Property.VOLUME_PRESERVING, Property.INVERTIBLE), block.properties());
    }

    @Test
    void jacobianDeterminant_isOne() {
        AdditiveCoupling block = AdditiveCoupling.perceptron(4, 6, Activation.leakyRelu(0.5), 4, D);
        randomise(block, "W1", 1.0, 5);
        for (int k = 0; k < 4; k++) {
            double[][] j = jacobian(block::forward, randn(6 + k, 1, 4));
            assertEquals(1.0, determinant(j), 1e-10);
        }
    }

    @Test
    void aCouplingThatScales_isNotVolumePreserving() {
        Lambda grow = new Lambda("2u", u -> u.mul(2));
        AdditiveCoupling block = new AdditiveCoupling(2, 1, grow, grow);
        double[][] j = jacobian(block::forward, randn(1, 1, 2));
        assertEquals(1.0, determinant(j), 1e-15, "additive couplings keep volume for any f, g");
        double[][] scaled = jacobian(x -> x.mul(1.1), randn(1, 1, 2));
        assertEquals(1.21, determinant(scaled), 1e-15, "the determinant check detects a non-unit volume change");
    }

    @Test
    void gradients_matchFiniteDifferences() {
        AdditiveCoupling block = AdditiveCoupling.perceptron(3, 4, Activation.tanh(), 7, D);
        randomise(block, "b2", 0.5, 8);
        assertTrue(gradientError(block, randn(9, 2, 3), 10) <= 1.0);
    }

    @Test
    void badInput_isRejected() {
        AdditiveCoupling block = AdditiveCoupling.perceptron(4, 4, Activation.tanh(), 1, D);
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> block.forward(Tensor.zeros(D, 2, 5)));
        assertTrue(width.getMessage().contains("[*, 4]"), width.getMessage());
        Lambda wrong = new Lambda("wrong", u -> u.slice(1, 0, 1));
        AdditiveCoupling badF = new AdditiveCoupling(4, 2, wrong, wrong);
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> badF.forward(Tensor.zeros(D, 1, 4)));
        assertTrue(out.getMessage().contains("f output"), out.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdditiveCoupling(4, 4, wrong, wrong));
    }
}
