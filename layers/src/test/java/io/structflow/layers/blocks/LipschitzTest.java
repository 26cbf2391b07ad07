package io.structflow.layers.blocks;

import static io.structflow.layers.blocks.BlockChecks.D;
import static io.structflow.layers.blocks.BlockChecks.empiricalLipschitz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Lambda;
import io.structflow.core.nn.Sequential;
import org.junit.jupiter.api.Test;

class LipschitzTest {

    @Test
    void bound_ofASequential_isTheProductAndHolds() {
        NormalisedLinear lift = NormalisedLinear.dense(2, 4, NormalisedLinear.Scale.FREE, 1, D);
        BlockChecks.set(lift.alpha(), 1.5);
        DynamicalBlock block = DynamicalBlock.prescribed(4, 2, 0.5, 2, 2, D);
        NormalisedLinear head = NormalisedLinear.dense(4, 3, NormalisedLinear.Scale.AT_MOST_ONE, 3, D);
        Sequential model = new Sequential(lift, new Sequential(block, new ZeroPaddingLift(4, 5)),
                new MassPreservingProjection(5, 4), head);
        double expected = lift.lipschitzBound() * block.lipschitzBound() * Math.sqrt(1 + 1.0 / 4) * head.lipschitzBound();
        double bound = Lipschitz.bound(model);
        assertEquals(expected, bound, 1e-12);
        assertTrue(empiricalLipschitz(model::forward, 4, 200, 2) <= bound * (1 + 1e-9));
    }

    @Test
    void bound_namesTheLayerThatCannotBeBounded() {
        Sequential model = new Sequential(new ZeroPaddingLift(2, 3), new Sequential(new ZeroPaddingLift(3, 3),
                new Lambda("tanh", Tensor::tanh)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lipschitz.bound(model));
        assertTrue(e.getMessage().contains("model.1.1") && e.getMessage().contains("Lambda"), e.getMessage());
    }
}
