package io.structflow.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ParameterBufferTest {
    private static Parameter param(String name, double[] v, long... shape) {
        return new Parameter(name, Nd4j.create(v.clone(), shape, 'c').castTo(DataType.DOUBLE));
    }

    @Test
    void moving_keepsValuesAndGradients_andTheParametersAreViewsOfTheFlatArrays() {
        Parameter a = param("a", new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Parameter s = param("s", new double[] {7}, new long[0]);
        Parameter b = param("b", new double[] {8, 9}, 2);
        a.accumulateGrad(Nd4j.create(new double[] {-1, -2, -3, -4, -5, -6}, new long[] {2, 3}, 'c'));
        ParameterBuffer buffer = ParameterBuffer.of(List.of(a, s, b));

        assertEquals(9, buffer.length());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, buffer.values().toDoubleVector(), 0);
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertEquals(0, s.value().rank());
        assertArrayEquals(new double[] {-1, -2, -3, -4, -5, -6}, a.grad().dup().data().asDouble(), 0);
        assertArrayEquals(new double[] {-1, -2, -3, -4, -5, -6},
                java.util.Arrays.copyOf(buffer.gradients().toDoubleVector(), 6), 0);
        assertNull(b.grad());

        // writes through the flat arrays reach the parameters, and the other way round
        buffer.values().muli(10);
        assertArrayEquals(new double[] {10, 20, 30, 40, 50, 60}, a.toDoubleArray(), 0);
        assertEquals(70, s.item(), 0);
        b.updateInPlace(Nd4j.create(new double[] {0.5, 0.25}, new long[] {2}, 'c'));
        assertEquals(0.25, buffer.values().getDouble(8), 0);
        b.accumulateGrad(Nd4j.create(new double[] {3, 4}, new long[] {2}, 'c'));
        assertArrayEquals(new double[] {3, 4}, new double[] {buffer.gradients().getDouble(7),
                buffer.gradients().getDouble(8)}, 0);
        assertTrue(buffer.holdsAll());
        assertFalse(buffer.allHaveGradients());
        assertSame(buffer, a.buffer());
        assertEquals(1, a.storageVersion());
    }

    @Test
    void backwardThroughViews_accumulatesIntoTheFlatGradients() {
        Parameter w = param("w", new double[] {1, 2, 3, 4}, 2, 2);
        Parameter c = param("c", new double[] {0.5, -0.5}, 2);
        ParameterBuffer buffer = ParameterBuffer.of(List.of(w, c));
        Tensor x = Tensor.of(DataType.DOUBLE, new double[] {1, -1, 2, 0.5}, 2, 2);
        // L = Σ (x Wᵀ + c)² ⇒ ∂L/∂W = 2 (x Wᵀ + c)ᵀ x, ∂L/∂c = 2 Σ_rows (x Wᵀ + c)
        Autograd.backward(x.matmul(w.transpose()).add(c).pow(2).sum());
        double[][] z = {{1 * 1 + -1 * 2 + 0.5, 1 * 3 + -1 * 4 - 0.5}, {2 * 1 + 0.5 * 2 + 0.5, 2 * 3 + 0.5 * 4 - 0.5}};
        double[][] xs = {{1, -1}, {2, 0.5}};
        double[] expected = new double[6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int r = 0; r < 2; r++) {
                    expected[i * 2 + j] += 2 * z[r][i] * xs[r][j];
                }
            }
            expected[4 + i] = 2 * (z[0][i] + z[1][i]);
        }
        assertTrue(buffer.allHaveGradients());
        assertArrayEquals(expected, buffer.gradients().toDoubleVector(), 1e-12);
    }

    @Test
    void movingIntoASecondBuffer_takesTheParameterOutOfTheFirst() {
        Parameter a = param("a", new double[] {1, 2}, 2);
        Parameter b = param("b", new double[] {3}, 1);
        ParameterBuffer first = ParameterBuffer.of(List.of(a, b));
        ParameterBuffer second = ParameterBuffer.of(List.of(b));
        assertFalse(first.holdsAll());
        assertTrue(second.holdsAll());
        assertEquals(3, b.item(), 0);
        assertEquals(2, b.storageVersion());
    }

    @Test
    void badInput_isRejectedNamingWhatCame() {
        Parameter a = param("a", new double[] {1}, 1);
        Parameter f = new Parameter("f", Nd4j.create(new float[] {1f}, new long[] {1}, 'c'));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ParameterBuffer.of(List.of(a, f)))
                .getMessage().contains("DOUBLE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ParameterBuffer.of(List.of(a, a)))
                .getMessage().contains("a twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ParameterBuffer.of(List.of()))
                .getMessage().contains("none"));
        ParameterBuffer buffer = ParameterBuffer.of(List.of(a));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> buffer.view(Nd4j.zeros(DataType.DOUBLE, 2), 0))
                .getMessage().contains("[1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> buffer.view(Nd4j.zeros(DataType.DOUBLE, 1), 1))
                .getMessage().contains("index"));
    }

    /** The finite check on parameters that are views into the flat buffer, for both element types. */
    @Test
    void requireFinite_findsTheBadIndex_inAFlatBufferView_andPassesSumsThatOverflow() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Parameter a = new Parameter("a", Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {2, 2}, 'c').castTo(t));
            Parameter b = new Parameter("b", Nd4j.create(new double[] {5, 6, 7}, new long[] {3}, 'c').castTo(t));
            ParameterBuffer.of(List.of(a, b));
            b.requireFinite("now");
            b.value().putScalar(2, Double.NaN);
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> b.requireFinite("now"));
            assertTrue(e.getMessage().contains("parameter b holds NaN at flat index 2 now"), e.getMessage());
            a.requireFinite("now");
            b.value().putScalar(2, 7);
            b.value().putScalar(0, Double.NEGATIVE_INFINITY);
            e = assertThrows(ArithmeticException.class, () -> b.requireFinite("now"));
            assertTrue(e.getMessage().contains("holds -Infinity at flat index 0"), e.getMessage());
            // finite values whose sum overflows the type: no error
            double big = t == DataType.FLOAT ? Float.MAX_VALUE : Double.MAX_VALUE;
            a.value().assign(big);
            a.requireFinite("now");
        }
    }
}
