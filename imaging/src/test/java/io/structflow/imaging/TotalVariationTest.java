package io.structflow.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class TotalVariationTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void denoise_noisyPiecewiseConstant_raisesPsnrAndLowersRofObjective() {
        Tensor clean = TestImages.piecewiseConstant(64);
        Tensor noisy = ImageIo.addGaussianNoise(clean, 0.1, 17);
        double lambda = 0.1;
        Tensor u = TotalVariation.denoise(noisy, lambda, 200);
        double before = ImageMetrics.psnr(noisy, clean);
        double after = ImageMetrics.psnr(u, clean);
        assertEquals(20, before, 0.3, "σ = 0.1 noise is 20 dB");
        assertTrue(after > before + 8, "PSNR " + before + " → " + after);
        double objective = TotalVariation.objective(u, noisy, lambda);
        assertTrue(objective < TotalVariation.objective(noisy, noisy, lambda));
        assertTrue(objective < TotalVariation.objective(clean, noisy, lambda));
    }

    @Test
    void denoise_stepEdge_matchesRofClosedForm() {
        // rows 0.2 on 6 columns then 0.9 on 10: ROF moves the levels by λ/6 up and λ/10 down
        int h = 3;
        int left = 6;
        int w = 16;
        double lambda = 0.3;
        double[] g = new double[h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                g[i * w + j] = j < left ? 0.2 : 0.9;
            }
        }
        Tensor u = TotalVariation.denoise(Tensor.of(D, g, 1, 1, h, w), lambda, 5000, 0.25);
        double[] got = u.toDoubleArray();
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double expected = j < left ? 0.2 + lambda / left : 0.9 - lambda / (w - left);
                assertEquals(expected, got[i * w + j], 1e-6, "pixel (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void denoise_constantImage_unchanged_andValueOfRamp() {
        Tensor constant = Tensor.ones(D, 2, 3, 5, 7).mul(0.4);
        assertArrayEquals(constant.toDoubleArray(), TotalVariation.denoise(constant, 0.2, 50).toDoubleArray(), 1e-15);
        assertEquals(0, TotalVariation.value(constant), 0);
        // u = i + 2j on 3×4: √5 on the 6 pixels with both differences, 1 on the last column, 2 on the last row
        double[] ramp = new double[12];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                ramp[i * 4 + j] = i + 2 * j;
            }
        }
        double expected = 6 * Math.sqrt(5) + 3 * 2 + 2 * 1 + 0;
        assertEquals(expected, TotalVariation.value(Tensor.of(D, ramp, 1, 1, 3, 4)), 1e-12);
    }

    @Test
    void badInput_messagesNameTheArgument() {
        Tensor x = Tensor.ones(D, 1, 1, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TotalVariation.denoise(x, 0.1, 10, 0.5));
        assertTrue(e.getMessage().contains("tau"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TotalVariation.denoise(x, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> TotalVariation.denoise(Tensor.ones(D, 4, 4), 0.1, 10));
    }
}
