package io.structflow.layers.blocks;

import static io.structflow.layers.blocks.BlockChecks.D;
import static io.structflow.layers.blocks.BlockChecks.empiricalLipschitz;
import static io.structflow.layers.blocks.BlockChecks.gradientError;
import static io.structflow.layers.blocks.BlockChecks.randn;
import static io.structflow.layers.blocks.BlockChecks.randomise;
import static io.structflow.layers.blocks.BlockChecks.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.project.NonExpansiveStepRegion;
import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Tensor;
import io.structflow.layers.Property;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class DynamicalBlockTest {

    @Test
    void prescribed_denseOrthogonal_isOneLipschitzOnRandomPairs() {
        DynamicalBlock block = DynamicalBlock.prescribed(4, 3, 0.5, 2, 11, D);
        randomise(block, "b", 0.5, 3);
        assertEquals(Set.of(Property.LIPSCHITZ_1), block.properties());
        assertArrayEquals(new long[] {3, 2}, block.steps().shape());
        double bound = block.lipschitzBound();
        assertTrue(bound <= 1.0, "bound " + bound);
        double ratio = empiricalLipschitz(block::forward, 5, 200, 4);
        assertTrue(ratio <= bound * (1 + 1e-9), "ratio " + ratio + " > bound " + bound);
        assertTrue(ratio > 0.05, "the block should not collapse: ratio " + ratio);
    }

    @Test
    void prescribed_stepsOnTheRegionBoundary_stayOneLipschitz() {
        DynamicalBlock block = DynamicalBlock.prescribed(3, 2, 0.5, 2, 12, D);
        randomise(block, "b", 0.5, 4);
        NonExpansiveStepRegion r = new NonExpansiveStepRegion(0.5, 2);
        set(block.steps(), 0.4, r.boundary(0.4), 1.3, r.boundary(1.3));
        block.steps().projectInPlace();
        assertEquals(0.0, block.stepConstraint().violation(block.steps()));
        double bound = block.lipschitzBound();
        assertTrue(bound <= 1.0 + 1e-9, "bound " + bound);
        double ratio = empiricalLipschitz(block::forward, 6, 200, 3);
        assertTrue(ratio <= bound * (1 + 1e-9), "ratio " + ratio + " > bound " + bound);
    }

    @Test
    void prescribed_stepsOutsideRegion_failTheCheckAndAreProjectedBack() {
        DynamicalBlock block = DynamicalBlock.prescribed(4, 2, 0.5, 1, 13, D);
        set(block.steps(), 0.0, 2.0, 0.0, 2.0);
        assertTrue(block.stepConstraint().violation(block.steps()) > 0.5);
        assertEquals(Set.of(), block.properties());
        double ratio = empiricalLipschitz(block::forward, 7, 200, 4);
        // close pairs with every pre-activation of one sign: each pair is I + 2AᵀDA, up to 3I, so 3·3 is attained
        assertEquals(9.0, block.lipschitzBound(), 1e-12);
        assertTrue(ratio > 8.9, "expansive steps of size 2 expand: ratio " + ratio);
        assertTrue(ratio <= block.lipschitzBound() * (1 + 1e-9), "the reported bound stays an upper bound: " + ratio);
        block.steps().projectInPlace();
        assertEquals(0.0, block.stepConstraint().violation(block.steps()));
        assertTrue(empiricalLipschitz(block::forward, 7, 200, 4) <= 1.0 + 1e-9);
    }

    @Test
    void flexible_negativeSecondStep_isAllowedAndOneLipschitz() {
        DynamicalBlock block = DynamicalBlock.flexible(4, 2, 0.5, 2, 14, D);
        randomise(block, "b", 0.5, 5);
        set(block.steps(), 1.0, -1.5, 1.8, -0.3);
        assertEquals(0.0, block.stepConstraint().violation(block.steps()));
        assertEquals(Set.of(Property.LIPSCHITZ_1), block.properties());
        double ratio = empiricalLipschitz(block::forward, 8, 200, 4);
        assertTrue(ratio <= block.lipschitzBound() * (1 + 1e-9) && block.lipschitzBound() <= 1.0);
        set(block.steps(), 0.05, -2.5, 1.0, 0.0);
        block.steps().projectInPlace();
        double[] h = block.steps().toDoubleArray();
        assertEquals(0.11, h[0], 1e-12);
        assertEquals(-1.9, h[1], 1e-12);
    }

    @Test
    void lipschitzBound_isTheProductOfLayerBounds() {
        DynamicalBlock block = DynamicalBlock.prescribed(3, 2, 0.5, 1, 15, D);
        set(block.steps(), 0.5, 0.1, 1.0, 0.05);
        // orthogonal A, σ' ∈ [0.5, 1]: contractive max(|1 − h|, |1 − h/2|), expansive 1 + h
        double expected = Math.max(0.5, 0.75) * 1.1 * Math.max(0.0, 0.5) * 1.05;
        assertEquals(expected, block.lipschitzBound(), 1e-14);
        assertEquals(2, block.pairBounds().length);
    }

    @Test
    void prescribedConv_boundHoldsAndNoPropertyIsClaimed() {
        DynamicalBlock block = DynamicalBlock.prescribedConv(2, 1, 0.5, 2, 6, 6, 16, D);
        double[] h = block.steps().toDoubleArray();
        double bound = block.lipschitzBound();
        // ‖K‖ = 1 (estimated projection); the certified bound of ‖K‖ on 6×6 images is within 30 % of it
        assertTrue(bound <= Math.pow(1 + h[1] / 2 * 1.3 * 1.3, 2), "bound " + bound);
        assertTrue(bound >= 1.0);
        assertEquals(Set.of(), block.properties());
        double ratio = empiricalLipschitz(block::forward, 9, 40, 2, 6, 6);
        assertTrue(ratio <= bound * (1 + 1e-9), "ratio " + ratio + " > bound " + bound);
    }

    @Test
    void gradients_matchFiniteDifferences_includingSteps() {
        DynamicalBlock dense = DynamicalBlock.flexible(3, 2, 0.5, 2, 17, D);
        set(dense.steps(), 0.7, 0.1, 1.2, -0.4);
        assertTrue(gradientError(dense, randn(20, 2, 3), 21) <= 1.0);
        DynamicalBlock conv = DynamicalBlock.prescribedConv(2, 1, 0.5, 1, 4, 4, 18, D);
        assertTrue(gradientError(conv, randn(22, 1, 2, 4, 4), 23) <= 1.0);
    }

    @Test
    void parameters_areNamedAndTheStepsShared() {
        DynamicalBlock block = DynamicalBlock.prescribed(2, 2, 0.5, 2, 19, D);
        assertEquals(List.of("steps", "0.contractive.W", "0.contractive.b", "0.expansive.W", "0.expansive.b",
                "1.contractive.W", "1.contractive.b", "1.expansive.W", "1.expansive.b"),
                List.copyOf(block.namedParameters().keySet()));
        assertEquals(DynamicalBlock.Switching.PRESCRIBED, block.switching());
    }

    @Test
    void float32_trainingStep_reachesTheStepsAndProjectsThem() {
        DynamicalBlock block = DynamicalBlock.prescribed(4, 2, 0.5, 2, 24, DataType.FLOAT);
        Tensor x = Tensor.randn(DataType.FLOAT, new java.util.SplittableRandom(25), 8, 4);
        Autograd.backward(block.forward(x).square().sum());
        double[] g = block.steps().grad().dup().castTo(DataType.DOUBLE).data().asDouble();
        assertEquals(4, g.length);
        for (double v : g) {
            assertTrue(Double.isFinite(v) && v != 0, "step gradient " + v);
        }
        block.steps().updateInPlace(block.steps().value().sub(block.steps().grad().mul(10)));
        block.steps().projectInPlace();
        assertEquals(0.0, block.stepConstraint().violation(block.steps()));
        assertTrue(block.lipschitzBound() <= 1.0);
    }

    @Test
    void badInput_isRejectedWithClearMessages() {
        DynamicalBlock dense = DynamicalBlock.prescribed(4, 1, 0.5, 1, 1, D);
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> dense.forward(Tensor.zeros(D, 2, 3)));
        assertTrue(width.getMessage().contains("4") && width.getMessage().contains("[2, 3]"), width.getMessage());
        DynamicalBlock conv = DynamicalBlock.prescribedConv(2, 1, 0.5, 1, 4, 4, 1, D);
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.zeros(D, 1, 3, 4, 4)));
        assertTrue(channels.getMessage().contains("[1, 3, 4, 4]"), channels.getMessage());
        IllegalArgumentException slope = assertThrows(IllegalArgumentException.class,
                () -> DynamicalBlock.prescribed(4, 1, 1.5, 1, 1, D));
        assertTrue(slope.getMessage().contains("slope a") && slope.getMessage().contains("1.5"), slope.getMessage());
        IllegalArgumentException pairs = assertThrows(IllegalArgumentException.class,
                () -> DynamicalBlock.prescribed(4, 0, 0.5, 1, 1, D));
        assertTrue(pairs.getMessage().contains("pairs"), pairs.getMessage());
        IllegalArgumentException sub = assertThrows(IllegalArgumentException.class,
                () -> DynamicalBlock.prescribed(4, 1, 0.5, 0, 1, D));
        assertTrue(sub.getMessage().contains("substeps"), sub.getMessage());
    }
}
