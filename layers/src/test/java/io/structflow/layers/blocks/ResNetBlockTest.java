package io.structflow.layers.blocks;

import static io.structflow.layers.blocks.BlockChecks.D;
import static io.structflow.layers.blocks.BlockChecks.empiricalLipschitz;
import static io.structflow.layers.blocks.BlockChecks.gradientError;
import static io.structflow.layers.blocks.BlockChecks.randn;
import static io.structflow.layers.blocks.BlockChecks.randomise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.layers.Property;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResNetBlockTest {

    @Test
    void naiveDense_isOneLipschitzAfterProjection() {
        ResNetBlock block = ResNetBlock.naiveDense(4, 6, 1, D);
        randomise(block, "A", 2.0, 2);
        randomise(block, "B", 2.0, 3);
        randomise(block, "b", 0.5, 4);
        assertTrue(block.lipschitzBound() > 1.5, "unprojected weights break the bound: " + block.lipschitzBound());
        block.a().projectInPlace();
        block.b().projectInPlace();
        double bound = block.lipschitzBound();
        assertTrue(bound <= 1 + 1e-6, "bound " + bound);
        assertTrue(empiricalLipschitz(block::forward, 5, 200, 4) <= bound * (1 + 1e-9));
        assertEquals(Set.of(Property.LIPSCHITZ_1), block.properties());
    }

    @Test
    void plainDense_isNotOneLipschitzButRespectsItsBound() {
        ResNetBlock block = ResNetBlock.dense(4, 6, 6, D);
        double ratio = empiricalLipschitz(block::forward, 7, 200, 4);
        assertTrue(ratio > 1.2, "ratio " + ratio);
        assertTrue(ratio <= block.lipschitzBound() * (1 + 1e-9));
        assertEquals(2.0, block.lipschitzBound(), 1e-5, "orthonormal initial A and B (certified bounds, within 1e-6 each)");
        assertEquals(Set.of(), block.properties());
    }

    @Test
    void naiveConv_isOneLipschitz() {
        ResNetBlock block = ResNetBlock.naiveConv(2, 3, 3, 5, 5, 8, D);
        randomise(block, "b", 0.5, 9);
        double bound = block.lipschitzBound();
        assertTrue(bound <= 1 + 1e-6, "bound " + bound);
        assertTrue(empiricalLipschitz(block::forward, 10, 30, 2, 5, 5) <= bound * (1 + 1e-9));
        ResNetBlock plain = ResNetBlock.conv(2, 3, 3, 5, 5, 11, D);
        assertTrue(empiricalLipschitz(plain::forward, 12, 30, 2, 5, 5) <= plain.lipschitzBound() * (1 + 1e-9));
    }

    @Test
    void gradients_matchFiniteDifferences() {
        ResNetBlock dense = ResNetBlock.naiveDense(3, 4, 13, D);
        randomise(dense, "b", 0.5, 14);
        assertTrue(gradientError(dense, randn(15, 2, 3), 16) <= 1.0);
        ResNetBlock conv = ResNetBlock.conv(2, 2, 3, 4, 4, 17, D);
        randomise(conv, "b", 0.5, 18);
        assertTrue(gradientError(conv, randn(19, 1, 2, 4, 4), 20) <= 1.0);
    }

    @Test
    void badInput_isRejected() {
        ResNetBlock conv = ResNetBlock.naiveConv(2, 3, 3, 5, 5, 1, D);
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.zeros(D, 1, 3, 5, 5)));
        assertTrue(channels.getMessage().contains("[*, 2, 5, 5]"), channels.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResNetBlock.dense(4, 6, 1, D).forward(Tensor.zeros(D, 1, 5)));
        IllegalArgumentException kernel = assertThrows(IllegalArgumentException.class,
                () -> ResNetBlock.conv(2, 2, 2, 5, 5, 1, D));
        assertTrue(kernel.getMessage().contains("kernelSize"), kernel.getMessage());
    }
}
