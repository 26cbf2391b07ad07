package io.structflow.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class InitTest {
    private static double norm(Tensor t) {
        double s = 0;
        for (double v : t.toDoubleArray()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void deltaOrthogonal_wideOrSquareKernel_isAnIsometryOnEveryImage() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor kernel = Init.deltaOrthogonal(DataType.DOUBLE, rng, 6, 4, 3, 3);
        for (int trial = 0; trial < 5; trial++) {
            Tensor x = Tensor.randn(DataType.DOUBLE, rng, 2, 4, 7, 5);
            Tensor y = x.conv2d(kernel, ConvGeometry.same(3));
            assertEquals(norm(x), norm(y), 1e-12 * norm(x), "‖Kx‖ = ‖x‖ for O = 6 ≥ C = 4");
        }
    }

    @Test
    void deltaOrthogonal_narrowKernel_hasAnIsometricAdjoint() {
        SplittableRandom rng = new SplittableRandom(4);
        Tensor kernel = Init.deltaOrthogonal(DataType.DOUBLE, rng, 3, 8, 5, 5);
        Tensor y = Tensor.randn(DataType.DOUBLE, rng, 2, 3, 6, 6);
        Tensor back = y.convTranspose2d(kernel, ConvGeometry.same(5), 6, 6);
        assertEquals(norm(y), norm(back), 1e-12 * norm(y), "‖Kᵀy‖ = ‖y‖ for O = 3 ≤ C = 8");
        Tensor x = Tensor.randn(DataType.DOUBLE, rng, 2, 8, 6, 6);
        double ratio = norm(x.conv2d(kernel, ConvGeometry.same(5))) / norm(x);
        assertEquals(true, ratio < 1, "a co-isometry has norm 1 and shrinks a random input, got ratio " + ratio);
    }

    @Test
    void deltaOrthogonal_rejectsEvenOrNonSquareKernels() {
        SplittableRandom rng = new SplittableRandom(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.deltaOrthogonal(DataType.DOUBLE, rng, 4, 4, 2, 2));
        assertEquals(true, e.getMessage().contains("k odd") && e.getMessage().contains("[4, 4, 2, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Init.deltaOrthogonal(DataType.DOUBLE, rng, 4, 4, 3));
    }
}
