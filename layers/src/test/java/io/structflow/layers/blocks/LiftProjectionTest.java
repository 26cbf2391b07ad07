package io.structflow.layers.blocks;

import static io.structflow.layers.blocks.BlockChecks.D;
import static io.structflow.layers.blocks.BlockChecks.empiricalLipschitz;
import static io.structflow.layers.blocks.BlockChecks.gradientError;
import static io.structflow.layers.blocks.BlockChecks.maxRatio;
import static io.structflow.layers.blocks.BlockChecks.randn;
import static io.structflow.layers.blocks.BlockChecks.rowNorms;
import static io.structflow.layers.blocks.BlockChecks.rowSums;
import static io.structflow.layers.blocks.BlockChecks.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.layers.Property;
import org.junit.jupiter.api.Test;

class LiftProjectionTest {

    @Test
    void zeroPaddingLift_isIsometricAndKeepsMass() {
        ZeroPaddingLift lift = new ZeroPaddingLift(3, 7);
        Tensor x = randn(1, 5, 3);
        Tensor y = lift.forward(x);
        assertArrayEquals(new long[] {5, 7}, y.shape());
        assertArrayEquals(rowNorms(x), rowNorms(y), 1e-15);
        assertArrayEquals(rowSums(x), rowSums(y), 1e-15);
        assertArrayEquals(new double[] {0, 0, 0, 0}, y.slice(1, 3, 7).slice(0, 0, 1).toDoubleArray());
        Tensor image = randn(2, 2, 3, 4, 4);
        Tensor lifted = new ZeroPaddingLift(3, 5).forward(image);
        assertArrayEquals(new long[] {2, 5, 4, 4}, lifted.shape());
        assertArrayEquals(rowNorms(image), rowNorms(lifted), 1e-15);
        assertTrue(lift.properties().contains(Property.NORM_PRESERVING));
        assertThrows(IllegalArgumentException.class, () -> lift.forward(randn(1, 5, 4)));
        IllegalArgumentException narrower = assertThrows(IllegalArgumentException.class, () -> new ZeroPaddingLift(4, 3));
        assertTrue(narrower.getMessage().contains("out"), narrower.getMessage());
    }

    @Test
    void massPreservingProjection_keepsTheTotalExactly() {
        for (int[] nd : new int[][] {{6, 3}, {7, 3}, {5, 4}, {4, 1}}) {
            MassPreservingProjection p = new MassPreservingProjection(nd[0], nd[1]);
            Tensor z = randn(nd[0], 8, nd[0]).mul(10);
            Tensor y = p.forward(z);
            assertArrayEquals(new long[] {8, nd[1]}, y.shape());
            assertArrayEquals(rowSums(z), rowSums(y), 1e-12, "n = " + nd[0] + ", d = " + nd[1]);
            Tensor x = randn(nd[1] + 100, 8, nd[1]);
            assertArrayEquals(x.toDoubleArray(), p.forward(new ZeroPaddingLift(nd[1], nd[0]).forward(x)).toDoubleArray(),
                    0.0, "P ∘ L = id");
        }
    }

    @Test
    void massPreservingProjection_withDoubledWidth_isTheAuthorsDivisionByK() {
        MassPreservingProjection p = new MassPreservingProjection(6, 3);
        Tensor z = Tensor.of(D, new double[] {1, 2, 3, 4, 5, 9}, 1, 6);
        assertArrayEquals(new double[] {1 + 18.0 / 3, 2 + 18.0 / 3, 3 + 18.0 / 3}, p.forward(z).toDoubleArray(), 1e-15);
    }

    @Test
    void massPreservingProjection_boundIsTheAttainedOperatorNorm() {
        MassPreservingProjection p = new MassPreservingProjection(7, 3);
        assertEquals(Math.sqrt(1 + 4.0 / 3), p.lipschitzBound(), 1e-15);
        Tensor top = Tensor.ones(D, 1, 7);
        assertEquals(p.lipschitzBound(), maxRatio(p::forward, top, Tensor.zeros(D, 1, 7)), 1e-14);
        assertTrue(empiricalLipschitz(p::forward, 3, 100, 7) <= p.lipschitzBound() * (1 + 1e-12));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new MassPreservingProjection(3, 3));
        assertTrue(none.getMessage().contains("k = 0"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.forward(randn(1, 2, 6)));
    }

    @Test
    void normalisedLinear_boundedScale_isOneLipschitz() {
        NormalisedLinear lift = NormalisedLinear.dense(3, 5, NormalisedLinear.Scale.AT_MOST_ONE, 4, D);
        set(lift.alpha(), 3.0);
        set(lift.weight(), randn(5, 5, 3).mul(4).toDoubleArray());
        lift.weight().projectInPlace();
        lift.alpha().projectInPlace();
        assertEquals(1.0, lift.alpha().item());
        double bound = lift.lipschitzBound();
        assertTrue(bound <= 1 + 1e-6 && bound >= 1 - 1e-6, "bound " + bound);
        assertTrue(empiricalLipschitz(lift::forward, 6, 200, 3) <= bound * (1 + 1e-9));
    }

    @Test
    void normalisedLinear_freeScale_reportsItsScale() {
        NormalisedLinear lift = NormalisedLinear.dense(4, 4, NormalisedLinear.Scale.FREE, 7, D);
        set(lift.alpha(), -1.9);
        lift.alpha().projectInPlace();
        assertEquals(-1.9, lift.alpha().item());
        assertEquals(1.9, lift.lipschitzBound(), 1e-5);
        double ratio = empiricalLipschitz(lift::forward, 8, 50, 4);
        assertEquals(1.9, ratio, 1e-5, "square orthogonal W (certified inside ‖W‖ ≤ 1, so scaled by 1 − O(1e-6)): every ratio equals |α|");
        NormalisedLinear plain = NormalisedLinear.plainDense(3, 6, 9, D);
        assertNull(plain.alpha());
        assertTrue(plain.weight().constraints().isEmpty());
    }

    @Test
    void normalisedLinear_conv_isBoundedOnItsImageSize() {
        NormalisedLinear lift = NormalisedLinear.conv(2, 3, 3, 5, 5, NormalisedLinear.Scale.AT_MOST_ONE, 10, D);
        double bound = lift.lipschitzBound();
        assertTrue(bound <= 1 + 1e-6, "bound " + bound);
        assertTrue(empiricalLipschitz(lift::forward, 11, 30, 2, 5, 5) <= bound * (1 + 1e-9));
        assertArrayEquals(new long[] {1, 3, 5, 5}, lift.forward(randn(12, 1, 2, 5, 5)).shape());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> lift.forward(randn(13, 1, 3, 5, 5)));
        assertTrue(channels.getMessage().contains("[1, 3, 5, 5]"), channels.getMessage());
        NormalisedLinear oneByOne = NormalisedLinear.plainConv(2, 4, 1, 5, 5, true, 14, D);
        assertTrue(oneByOne.lipschitzBound() <= 1 + 1e-6);
    }

    @Test
    void normalisedLinear_gradientsIncludingScale() {
        NormalisedLinear dense = NormalisedLinear.dense(3, 2, NormalisedLinear.Scale.FREE, 15, D);
        set(dense.alpha(), 0.7);
        assertTrue(gradientError(dense, randn(16, 2, 3), 17) <= 1.0);
        NormalisedLinear conv = NormalisedLinear.conv(2, 2, 3, 4, 4, NormalisedLinear.Scale.AT_MOST_ONE, 18, D);
        assertTrue(gradientError(conv, randn(19, 1, 2, 4, 4), 20) <= 1.0);
    }

    @Test
    void averagePool_hasBoundOneOverK() {
        AveragePoolDownsample pool = new AveragePoolDownsample(2);
        assertEquals(0.5, pool.lipschitzBound());
        Tensor constant = Tensor.ones(D, 1, 2, 4, 4);
        assertEquals(0.5, maxRatio(pool::forward, constant, Tensor.zeros(D, 1, 2, 4, 4)), 1e-15);
        assertTrue(empiricalLipschitz(pool::forward, 21, 20, 2, 4, 4) <= 0.5 + 1e-15);
        assertThrows(IllegalArgumentException.class, () -> pool.forward(randn(22, 1, 2, 5, 4)));
        assertThrows(IllegalArgumentException.class, () -> new AveragePoolDownsample(0));
    }
}
