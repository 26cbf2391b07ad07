package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Per-sample Jacobians against closed forms: a linear map, an elementwise map on images. */
class JacobiansTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void of_linearMap_isTheMatrixForEverySample() {
        Tensor a = Tensor.randn(D, new SplittableRandom(1), 3, 4);
        Tensor x = Tensor.randn(D, new SplittableRandom(2), 5, 4);
        double[][][] jac = Jacobians.of(v -> v.matmul(a, false, true), x);
        double[] av = a.toDoubleArray();
        assertEquals(5, jac.length);
        for (double[][] j : jac) {
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(av[i * 4 + k], j[i][k], 1e-14);
                }
            }
        }
    }

    @Test
    void of_elementwiseMapOnImages_isDiagonalWithTheDerivative() {
        Tensor x = Tensor.randn(D, new SplittableRandom(3), 2, 2, 3, 3);
        double[][][] jac = Jacobians.of(Tensor::tanh, x);
        double[] xv = x.toDoubleArray();
        assertEquals(2, jac.length);
        for (int b = 0; b < 2; b++) {
            assertEquals(18, jac[b].length);
            for (int i = 0; i < 18; i++) {
                for (int k = 0; k < 18; k++) {
                    double t = Math.tanh(xv[b * 18 + i]);
                    assertEquals(i == k ? 1 - t * t : 0, jac[b][i][k], 1e-14);
                }
            }
        }
    }

    @Test
    void of_scalarInput_namesTheArgumentAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jacobians.of(v -> v, Tensor.scalar(1.0, D)));
        assertTrue(e.getMessage().contains("x expected shape [batch, …]") && e.getMessage().contains("[]"),
                e.getMessage());
    }
}
