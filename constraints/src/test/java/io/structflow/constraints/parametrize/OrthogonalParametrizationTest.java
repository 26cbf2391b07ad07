package io.structflow.constraints.parametrize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.TestMatrices;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.GradCheck;
import io.structflow.core.nn.Parametrization;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

class OrthogonalParametrizationTest {
    static Stream<Parametrization> both() {
        return Stream.of(new ExponentialOrthogonal(), new CayleyOrthogonal());
    }

    private static Tensor raw(DataType t, long seed, long... shape) {
        return Tensor.randn(t, new SplittableRandom(seed), shape);
    }

    @ParameterizedTest
    @MethodSource("both")
    void apply_float32_orthogonalTo1e6(Parametrization p) {
        for (long[] shape : new long[][] {{6, 6}, {7, 3}, {3, 7}}) {
            Tensor a = p.apply(raw(DataType.FLOAT, 1, shape));
            assertEquals(shape[0], a.size(0));
            assertEquals(shape[1], a.size(1));
            assertTrue(TestMatrices.orthogonalityError(a) < 1e-6, p.describe() + " " + TestMatrices.orthogonalityError(a));
        }
    }

    @ParameterizedTest
    @MethodSource("both")
    void apply_float64_orthogonalTo1e12(Parametrization p) {
        for (long[] shape : new long[][] {{6, 6}, {7, 3}, {3, 7}}) {
            Tensor a = p.apply(raw(DataType.DOUBLE, 2, shape));
            assertTrue(TestMatrices.orthogonalityError(a) < 1e-12, p.describe() + " " + TestMatrices.orthogonalityError(a));
        }
    }

    @ParameterizedTest
    @MethodSource("both")
    void apply_gradients_passGradCheck(Parametrization p) {
        for (long[] shape : new long[][] {{4, 4}, {5, 3}}) {
            Tensor r = raw(DataType.DOUBLE, 3, shape);
            GradCheck.Result res = GradCheck.check(x -> p.apply(x[0]).mul(r).sum(), raw(DataType.DOUBLE, 4, shape).mul(0.5));
            assertTrue(res.passed(), p.describe() + ": " + res.worst());
        }
    }

    @Test
    void twoByTwo_matchClosedForms() {
        double w = 0.7;
        Tensor raw = Tensor.of(DataType.DOUBLE, new double[] {0, w, 0, 0}, 2, 2);
        // S = [[0, w], [−w, 0]]: expm(S) is the rotation by w, Cayley the rotation with cos θ = (1 − w²)/(1 + w²)
        double[] e = new ExponentialOrthogonal().apply(raw).toDoubleArray();
        assertEquals(Math.cos(w), e[0], 1e-15);
        assertEquals(Math.sin(w), e[1], 1e-15);
        assertEquals(-Math.sin(w), e[2], 1e-15);
        double[] c = new CayleyOrthogonal().apply(raw).toDoubleArray();
        assertEquals((1 - w * w) / (1 + w * w), c[0], 1e-15);
        assertEquals(-2 * w / (1 + w * w), c[1], 1e-15);
        assertEquals(2 * w / (1 + w * w), c[2], 1e-15);
    }

    @ParameterizedTest
    @MethodSource("both")
    void apply_vector_throwsNamingShape(Parametrization p) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.apply(Tensor.zeros(DataType.FLOAT, 5)));
        assertTrue(e.getMessage().contains("[5]"), e.getMessage());
    }
}
