package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.GradCheck;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class LinearSolveTest {
    private static final DataType D = DataType.DOUBLE;

    private static Tensor wellConditioned(long seed, int n) {
        Tensor r = Tensor.randn(D, new SplittableRandom(seed), n, n);
        return r.add(Tensor.constant(Nd4j.eye(n).castTo(D).mul(n)));
    }

    @Test
    void solve_randomSystem_residualAtRoundOff() {
        Tensor a = wellConditioned(1, 6);
        Tensor b = Tensor.randn(D, new SplittableRandom(2), 6, 3);
        Tensor x = LinearSolve.solve(a, b);
        double[] r = a.matmul(x).sub(b).toDoubleArray();
        for (double e : r) {
            assertEquals(0, e, 1e-13);
        }
    }

    @Test
    void solve_needsPivoting_zeroLeadingEntry() {
        Tensor a = Tensor.of(D, new double[] {0, 1, 1, 0}, 2, 2);
        Tensor x = LinearSolve.solve(a, Tensor.of(D, new double[] {3, 5}, 2, 1));
        assertEquals(5, x.toDoubleArray()[0], 0);
        assertEquals(3, x.toDoubleArray()[1], 0);
    }

    @Test
    void solve_gradients_matchFiniteDifferences() {
        Tensor r = Tensor.randn(D, new SplittableRandom(3), 4, 2);
        GradCheck.Result res = GradCheck.check(t -> LinearSolve.solve(t[0], t[1]).mul(r).sum(),
                wellConditioned(4, 4), Tensor.randn(D, new SplittableRandom(5), 4, 2));
        assertTrue(res.passed(), res.worst());
    }

    @Test
    void solve_secondOrderGradients_matchFiniteDifferences() {
        Tensor r = Tensor.randn(D, new SplittableRandom(6), 3, 2);
        GradCheck.Result res = GradCheck.checkSecondOrder(t -> LinearSolve.solve(t[0], t[1]).mul(r).sum(), 7,
                wellConditioned(8, 3), Tensor.randn(D, new SplittableRandom(9), 3, 2));
        assertTrue(res.passed(), res.worst());
    }

    @Test
    void solve_singularOrBadShapes_throwClearly() {
        Tensor singular = Tensor.of(D, new double[] {1, 2, 2, 4}, 2, 2);
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> LinearSolve.solve(singular, Tensor.ones(D, 2, 1)));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> LinearSolve.solve(Tensor.ones(D, 2, 3), Tensor.ones(D, 2, 1)));
        assertTrue(shape.getMessage().contains("[2, 3]"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearSolve.solve(wellConditioned(1, 3), Tensor.ones(D, 2, 1)));
    }
}
