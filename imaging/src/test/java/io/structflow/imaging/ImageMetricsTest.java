package io.structflow.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class ImageMetricsTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void psnr_constantOffset_matchesClosedForm() {
        Tensor ref = Tensor.uniform(D, new SplittableRandom(1), 0, 1, 2, 1, 8, 8);
        for (double c : new double[] {0.1, 0.03, 1e-3}) {
            Tensor x = ref.add(c);
            assertEquals(c * c, ImageMetrics.mse(x, ref), 1e-15);
            // 10·log10(1/c²) = −20·log10(c): 20 dB for c = 0.1
            assertEquals(-20 * Math.log10(c), ImageMetrics.psnr(x, ref), 1e-9);
            assertEquals(-20 * Math.log10(c), ImageMetrics.psnr(x.mul(255), ref.mul(255), 255), 1e-9);
        }
        assertEquals(20, ImageMetrics.psnr(ref.sub(0.1), ref, 1), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(ref, ref));
    }

    @Test
    void psnr_gaussianNoise_isAboutMinusTwentyLogSigma() {
        Tensor ref = Tensor.zeros(D, 1, 1, 128, 128);
        Tensor noisy = ImageIo.addGaussianNoise(ref, 0.05, 3);
        assertEquals(-20 * Math.log10(0.05), ImageMetrics.psnr(noisy, ref), 0.1);
    }

    @Test
    void badInput_messagesNameTheArgument() {
        Tensor a = Tensor.zeros(D, 1, 1, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.mse(a, Tensor.zeros(D, 1, 1, 4, 5)));
        assertTrue(e.getMessage().contains("[1, 1, 4, 5]") && e.getMessage().contains("[1, 1, 4, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageMetrics.psnr(a, a, 0));
    }
}
