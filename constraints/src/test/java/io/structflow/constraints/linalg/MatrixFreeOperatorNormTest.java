package io.structflow.constraints.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.TestMatrices;
import io.structflow.core.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The norm of a map given by its action and adjoint, against a matrix with constructed singular values. */
class MatrixFreeOperatorNormTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void estimate_matrixGivenByActionAndAdjoint_matchesItsLargestSingularValue() {
        Tensor w = TestMatrices.withSingularValues(5, 7, 5, 3.0, 2.4, 1.0, 0.5, 0.1);
        MatrixFreeOperatorNorm norm = new MatrixFreeOperatorNorm(x -> x.matmul(w, false, true), y -> y.matmul(w),
                new long[] {32, 5}, NormEstimateSettings.defaults());
        double s = norm.estimate();
        assertEquals(3.0, s, 3.0 * 1e-9);
        assertTrue(s <= 3.0 * (1 + 1e-12), "a Ritz value is a lower bound: " + s);
        assertTrue(norm.lastProducts() >= 1 && norm.lastProducts() <= 2000, "products " + norm.lastProducts());
    }

    @Test
    void estimate_imageShapedDomain_flattensEverySample() {
        // x ↦ 2x on [1, 2, 3, 3] images: ‖·‖₂ = 2
        MatrixFreeOperatorNorm norm = new MatrixFreeOperatorNorm(x -> x.mul(2), y -> y.mul(2), new long[] {4, 2, 3, 3},
                NormEstimateSettings.defaults());
        assertEquals(2.0, norm.estimate(), 1e-12);
    }

    @Test
    void badInputs_nameTheArgument() {
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> new MatrixFreeOperatorNorm(x -> x, y -> y, new long[] {3}, NormEstimateSettings.defaults()));
        assertTrue(shape.getMessage().contains("domainShape") && shape.getMessage().contains("[3]"), shape.getMessage());
        MatrixFreeOperatorNorm wrongAdjoint = new MatrixFreeOperatorNorm(x -> x, y -> y.slice(1, 0, 1),
                new long[] {1, 4}, NormEstimateSettings.defaults());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, wrongAdjoint::estimate);
        assertTrue(size.getMessage().contains("4 values") && size.getMessage().contains("1 values"), size.getMessage());
        MatrixFreeOperatorNorm nan = new MatrixFreeOperatorNorm(x -> x.mul(Double.NaN), y -> y, new long[] {1, 4},
                NormEstimateSettings.defaults());
        assertThrows(ArithmeticException.class, nan::estimate);
    }
}
