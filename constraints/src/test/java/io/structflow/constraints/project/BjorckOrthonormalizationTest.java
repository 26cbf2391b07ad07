package io.structflow.constraints.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.TestMatrices;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class BjorckOrthonormalizationTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void perturbedOrthogonalStart_reachesResidualBelow1e6_atThePolarFactor() {
        for (long[] shape : new long[][] {{8, 8}, {10, 6}, {4, 9}}) {
            SplittableRandom rng = new SplittableRandom(shape[0] * 31 + shape[1]);
            Tensor w0 = Init.orthogonal(D, rng, shape).add(Tensor.randn(D, rng, shape).mul(0.1));
            Parameter p = new Parameter("W", w0.value().dup());
            BjorckOrthonormalization c = new BjorckOrthonormalization(50, 1e-9);
            p.constrain(c);
            assertTrue(c.violation(p) > 1e-3);
            p.projectInPlace();
            assertTrue(c.lastResidual() < 1e-6, "residual " + c.lastResidual());
            assertEquals(BjorckOrthonormalization.residual(p), c.lastResidual(), 0);
            assertTrue(c.lastIterations() > 0 && c.lastIterations() < 20, "iterations " + c.lastIterations());
            assertTrue(TestMatrices.orthogonalityError(p) < 1e-9);
            // polar factor R of W: RᵀW (tall) or WRᵀ (wide) is symmetric positive definite
            boolean tall = shape[0] >= shape[1];
            Tensor pr = tall ? p.matmul(w0, true, false) : w0.matmul(p, false, true);
            double[] m = pr.toDoubleArray();
            int k = (int) pr.size(0);
            for (int i = 0; i < k; i++) {
                assertTrue(m[i * k + i] > 0);
                for (int j = 0; j < k; j++) {
                    assertEquals(m[i * k + j], m[j * k + i], 1e-9, "RᵀW symmetric");
                }
            }
        }
    }

    @Test
    void largeScale_isPrescaledAndConverges() {
        Tensor w0 = Init.orthogonal(D, new SplittableRandom(1), 6, 6).mul(25);
        Parameter p = new Parameter("W", w0.value().dup());
        new BjorckOrthonormalization(100, 1e-9).projectInPlace(p);
        assertTrue(TestMatrices.orthogonalityError(p) < 1e-9);
        assertEquals(w0.toDoubleArray()[0] / 25, p.toDoubleArray()[0], 1e-9);
    }

    @Test
    void rankDeficient_throwsArithmeticNamingParameter() {
        Parameter p = new Parameter("W", Tensor.of(D, new double[] {1, 1, 1, 1}, 2, 2).value());
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> new BjorckOrthonormalization(30, 1e-9).projectInPlace(p));
        assertTrue(e.getMessage().contains("W") && e.getMessage().contains("rank"), e.getMessage());
    }
}
