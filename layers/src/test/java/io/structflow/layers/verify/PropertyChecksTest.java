package io.structflow.layers.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Jacobians;
import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The checks against closed forms: linear maps with known singular values, determinants, rotations. */
class PropertyChecksTest {
    private static final DataType D = DataType.DOUBLE;

    private static Function<Tensor, Tensor> linear(double[] m, int n) {
        Tensor a = Tensor.of(D, m, n, n);
        return x -> x.matmul(a, false, true);
    }

    @Test
    void determinant_matchesClosedForm() {
        assertEquals(-2.0, Jacobians.determinant(new double[][] {{1, 2}, {3, 4}}), 1e-14);
        assertEquals(24.0, Jacobians.determinant(new double[][] {{0, 0, 2}, {0, 3, 1}, {4, 5, 6}}) * -1, 1e-13);
        assertEquals(0.0, Jacobians.determinant(new double[][] {{1, 2}, {2, 4}}), 0);
    }

    @Test
    void jacobianNorm_andRatio_ofDiagonalMap_equalLargestScale() {
        Function<Tensor, Tensor> f = linear(new double[] {3, 0, 0, 0, 0.5, 0, 0, 0, -2}, 3);
        Tensor x = Tensor.randn(D, new SplittableRandom(1), 4, 3);
        Check jac = PropertyChecks.jacobianNorm(f, x, 40, 2, 3.0, 1e-10);
        assertEquals(3.0, jac.value(), 1e-8);
        assertTrue(jac.passed());
        assertFalse(PropertyChecks.jacobianNorm(f, x, 40, 2, 2.9, 1e-10).passed());
        Check ratio = PropertyChecks.lipschitzRatio(f, x, 1.0, 20, 3, 3.0, 1e-12);
        assertTrue(ratio.passed() && ratio.value() > 1.5 && ratio.value() <= 3.0, ratio.toString());
    }

    @Test
    void symplecticity_volume_norm_sum_ofKnownMaps() {
        Tensor x = Tensor.randn(D, new SplittableRandom(4), 5, 2);
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        Function<Tensor, Tensor> rotation = linear(new double[] {c, s, -s, c}, 2);
        assertTrue(PropertyChecks.symplecticity(rotation, x, 1e-12).value() < 1e-14);
        assertTrue(PropertyChecks.unitDeterminant(rotation, x, 1e-12).passed());
        assertTrue(PropertyChecks.conservedNorm(rotation, x, 1e-12).passed());
        Function<Tensor, Tensor> scaling = linear(new double[] {2, 0, 0, 1}, 2);
        Check sym = PropertyChecks.symplecticity(scaling, x, 1e-10);
        assertEquals(Math.sqrt(2), sym.value(), 1e-12);
        assertEquals(1.0, PropertyChecks.unitDeterminant(scaling, x, 1e-10).value(), 1e-12);
        Function<Tensor, Tensor> swap = linear(new double[] {0, 1, 1, 0}, 2);
        assertTrue(PropertyChecks.conservedSum(swap, x, 1e-14).passed());
        assertFalse(PropertyChecks.conservedSum(scaling, x, 1e-10).passed());
    }
}
