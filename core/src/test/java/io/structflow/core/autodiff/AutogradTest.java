package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class AutogradTest {
    private static final DataType D = DataType.DOUBLE;

    /** f(x) = Σ xᵢ⁴/4 + ½ xᵀMx: ∇f = x³ + Mx (M symmetric), H = diag(3x²) + M. */
    @Test
    void hessianVectorProduct_equalsClosedForm() {
        SplittableRandom r = new SplittableRandom(11);
        double[] xs = {0.3, -1.2, 0.7};
        double[][] m = {{2, 0.5, -1}, {0.5, 1, 0.25}, {-1, 0.25, 3}};
        double[] v = {1.0, -2.0, 0.5};
        Tensor x = Tensor.variable(Tensor.of(D, xs, 1, 3).value());
        Tensor mt = Tensor.of(D, new double[] {2, 0.5, -1, 0.5, 1, 0.25, -1, 0.25, 3}, 3, 3);
        Tensor f = x.pow(4).div(4).sum().add(x.matmul(mt).mul(x).sum().mul(0.5));
        Tensor grad = Autograd.grad(f, true, x)[0];
        Tensor hv = Autograd.grad(new Tensor[] {grad}, new Tensor[] {Tensor.of(D, v, 1, 3)}, new Tensor[] {x}, false, false)[0];
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = 3 * xs[i] * xs[i] * v[i];
            for (int j = 0; j < 3; j++) {
                expected[i] += m[i][j] * v[j];
            }
        }
        assertArrayEquals(expected, hv.toDoubleArray(), 1e-12);
        assertTrue(r != null);
    }

    @Test
    void backward_accumulatesIntoParameters_andReleasesGraph() {
        Parameter w = new Parameter("w", Tensor.of(D, new double[] {1, 2}, 2).value().dup());
        Tensor loss = w.square().sum();
        Autograd.backward(loss);
        assertArrayEquals(new double[] {2, 4}, w.grad().toDoubleVector(), 1e-15);
        Autograd.backward(w.mul(3).sum());
        assertArrayEquals(new double[] {5, 7}, w.grad().toDoubleVector(), 1e-15);
        Tensor y = w.exp();
        Tensor l2 = y.sum();
        Autograd.backward(l2);
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> Autograd.backward(l2));
        assertTrue(again.getMessage().contains("retainGraph"), again.getMessage());
    }

    @Test
    void noGrad_recordsNothing_andDetachCutsTheGraph() {
        Tensor x = Tensor.variable(Tensor.of(D, new double[] {1, 2}, 2).value());
        try (GradMode.Scope s = GradMode.noGrad()) {
            assertFalse(x.mul(2).requiresGrad());
        }
        assertTrue(x.mul(2).requiresGrad());
        Tensor g = Autograd.grad(x.detach().mul(x).sum(), false, x)[0];
        assertArrayEquals(new double[] {1, 2}, g.toDoubleArray(), 1e-15);
    }

    @Test
    void nonFiniteLoss_andShapeErrors_areClear() {
        Parameter w = new Parameter("w", Tensor.of(D, new double[] {-1}, 1).value().dup());
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Autograd.backward(w.log().sum()));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(null, w.grad());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(D, 2, 3).add(Tensor.zeros(D, 4)));
        assertTrue(s.getMessage().contains("[2, 3] and [4]"), s.getMessage());
        IllegalArgumentException mm = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(D, 2, 3).matmul(Tensor.zeros(D, 2, 3)));
        assertTrue(mm.getMessage().contains("inner dimensions 3 vs 2"), mm.getMessage());
        IllegalArgumentException types = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(D, 2).add(Tensor.zeros(DataType.FLOAT, 2)));
        assertTrue(types.getMessage().contains("same element type"), types.getMessage());
    }

    @Test
    void float32Sum_ofManyElements_isAccurate() {
        int n = 1 << 21;
        Tensor x = Tensor.constant(org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {n}, 0.1, DataType.FLOAT));
        double expected = n * (double) 0.1f;
        assertEquals(expected, x.sum().item(), expected * 1e-6);
    }

    /**
     * With wanted inputs, backward rules below them are not run: differentiating with respect to
     * an intermediate tensor must not differentiate what produced it (a rule that differentiates a
     * local graph built on its own inputs would otherwise re-run every earlier layer).
     */
    @Test
    void grad_withRespectToAnIntermediate_runsNothingBelowIt() {
        int[] calls = {0};
        Tensor x = Tensor.variable(Tensor.of(DataType.DOUBLE, new double[] {1, 2, 3}, 3).value());
        Tensor below = Tensor.fromOp("counted", x.value().mul(2), g -> {
            calls[0]++;
            return new Tensor[] {g.mul(2)};
        }, x);
        Tensor w = below.mul(3);
        Tensor out = w.mul(w).sum();
        Tensor[] g = Autograd.grad(new Tensor[] {out}, null, new Tensor[] {w}, true, true);
        assertArrayEquals(new double[] {12, 24, 36}, g[0].toDoubleArray(), 1e-12, "d(Σw²)/dw = 2w, w = 6x");
        assertEquals(0, calls[0], "the rule below w ran");
        Tensor[] both = Autograd.grad(new Tensor[] {out}, null, new Tensor[] {w, x}, false, true);
        assertEquals(1, calls[0], "with x wanted too, the rule between w and x runs once");
        assertArrayEquals(new double[] {72, 144, 216}, both[1].toDoubleArray(), 1e-12, "d(36Σx²)/dx = 72x");
    }
}
