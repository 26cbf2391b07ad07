package io.structflow.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.linalg.MatrixFreeOperatorNorm;
import io.structflow.constraints.linalg.NormEstimateSettings;
import io.structflow.core.autodiff.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class BlurOperatorTest {
    private static final DataType D = DataType.DOUBLE;

    private static double[][] randomKernel(long seed, int kh, int kw) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] k = new double[kh][kw];
        for (double[] row : k) {
            for (int j = 0; j < kw; j++) {
                row[j] = rng.nextDouble() * 2 - 1;
            }
        }
        return k;
    }

    private static List<BlurOperator> operators() {
        BlurOperator asymmetric = new BlurOperator(randomKernel(5, 3, 5));
        return List.of(BlurOperator.gaussian(1.2), BlurOperator.motion(5, 30), BlurOperator.motion(4), asymmetric,
                BlurOperator.gaussian(1.2).withBoundary(BlurOperator.Boundary.PERIODIC),
                BlurOperator.motion(5, 30).withBoundary(BlurOperator.Boundary.PERIODIC),
                asymmetric.withBoundary(BlurOperator.Boundary.PERIODIC));
    }

    @Test
    void adjoint_randomImages_innerProductsAgreeTo1e12() {
        Tensor x = Tensor.randn(D, new SplittableRandom(1), 2, 3, 9, 11);
        Tensor y = Tensor.randn(D, new SplittableRandom(2), 2, 3, 9, 11);
        for (BlurOperator k : operators()) {
            double lhs = Norms.dot(k.apply(x), y);
            double rhs = Norms.dot(x, k.adjoint(y));
            assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)), k.toString());
        }
    }

    @Test
    void apply_asymmetricKernel_matchesConvolutionSumWithZeroAndPeriodicBoundary() {
        double[][] k = randomKernel(7, 3, 5);
        int h = 6;
        int w = 7;
        Tensor x = Tensor.randn(D, new SplittableRandom(3), 1, 1, h, w);
        double[] xv = x.toDoubleArray();
        for (BlurOperator.Boundary boundary : BlurOperator.Boundary.values()) {
            double[] got = new BlurOperator(k, boundary).apply(x).toDoubleArray();
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double expected = 0;
                    for (int a = 0; a < 3; a++) {
                        for (int d = 0; d < 5; d++) {
                            int si = i - a + 1;
                            int sj = j - d + 2;
                            if (boundary == BlurOperator.Boundary.PERIODIC) {
                                si = Math.floorMod(si, h);
                                sj = Math.floorMod(sj, w);
                            } else if (si < 0 || si >= h || sj < 0 || sj >= w) {
                                continue;
                            }
                            expected += k[a][d] * xv[si * w + sj];
                        }
                    }
                    assertEquals(expected, got[i * w + j], 1e-12, boundary + " pixel (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void apply_channelsAndBatch_blurredSeparately() {
        BlurOperator k = BlurOperator.gaussian(1.0);
        Tensor x = Tensor.randn(D, new SplittableRandom(4), 2, 3, 8, 8);
        Tensor all = k.apply(x);
        Tensor one = k.apply(x.slice(0, 1, 2).slice(1, 2, 3));
        assertArrayEquals(one.toDoubleArray(), all.slice(0, 1, 2).slice(1, 2, 3).toDoubleArray(), 1e-14);
    }

    @Test
    void motion_lengths_matchTheSegmentConstruction() {
        assertArrayEquals(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, BlurOperator.motion(5).kernel()[0], 1e-15);
        assertEquals(1, BlurOperator.motion(5).kernel().length);
        // even length: half weights at both ends, total length 4
        assertArrayEquals(new double[] {0.125, 0.25, 0.25, 0.25, 0.125}, BlurOperator.motion(4).kernel()[0], 1e-15);
        double[][] vertical = BlurOperator.motion(3, 90).kernel();
        assertEquals(3, vertical.length);
        assertEquals(1, vertical[0].length);
        for (double[] row : vertical) {
            assertEquals(1.0 / 3, row[0], 1e-15);
        }
        double sum = 0;
        for (double[] row : BlurOperator.motion(9, 37).kernel()) {
            for (double v : row) {
                sum += v;
                assertTrue(v >= 0);
            }
        }
        assertEquals(1, sum, 1e-14);
    }

    @Test
    void lipschitzOfGradient_zeroBoundaryTinyImage_matchesExplicitMatrix() {
        int h = 6;
        int w = 7;
        int n = h * w;
        BlurOperator k = new BlurOperator(randomKernel(11, 3, 3));
        double[][] m = new double[n][n];
        double[][] mt = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] e = new double[n];
            e[c] = 1;
            Tensor basis = Tensor.of(D, e, 1, 1, h, w);
            double[] col = k.apply(basis).toDoubleArray();
            double[] adj = k.adjoint(basis).toDoubleArray();
            for (int r = 0; r < n; r++) {
                m[r][c] = col[r];
                mt[r][c] = adj[r];
            }
        }
        double[][] normal = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(m[j][i], mt[i][j], 1e-15, "adjoint is the transposed matrix");
                double s = 0;
                for (int r = 0; r < n; r++) {
                    s += m[r][i] * m[r][j];
                }
                normal[i][j] = s;
            }
        }
        double exact = TestImages.largestEigenvalue(normal);
        double estimate = k.lipschitzOfGradient(h, w);
        assertEquals(exact, estimate, 1e-8 * exact);
        assertEquals(2 / estimate, k.stepBound(h, w), 1e-12);
        assertTrue(k.lipschitzUpperBound() >= exact);
    }

    @Test
    void lipschitzOfGradient_periodic_matchesLargestDftMagnitudeSquared() {
        int n = 16;
        double[][] kernel = randomKernel(13, 5, 5);
        BlurOperator k = new BlurOperator(kernel, BlurOperator.Boundary.PERIODIC);
        double max = 0;
        for (int u = 0; u < n; u++) {
            for (int v = 0; v < n; v++) {
                double re = 0;
                double im = 0;
                for (int a = 0; a < 5; a++) {
                    for (int d = 0; d < 5; d++) {
                        double phase = -2 * Math.PI * (u * a + v * d) / n;
                        re += kernel[a][d] * Math.cos(phase);
                        im += kernel[a][d] * Math.sin(phase);
                    }
                }
                max = Math.max(max, re * re + im * im);
            }
        }
        double sigma = new MatrixFreeOperatorNorm(k::apply, k::adjoint, new long[] {1, 1, n, n},
                new NormEstimateSettings(5000, 20, 1e-7, 0)).estimate();
        assertEquals(max, sigma * sigma, 1e-8 * max);
        assertTrue(sigma * sigma <= max * (1 + 1e-12), "a Ritz value is a lower bound");
    }

    @Test
    void lipschitzOfGradient_normalisedGaussian_atMostOneAndGrowsWithImageSize() {
        BlurOperator k = BlurOperator.gaussian(1.0);
        double small = k.lipschitzOfGradient(8, 8);
        double large = k.lipschitzOfGradient(32, 32);
        assertTrue(small < large, small + " < " + large);
        assertTrue(large <= 1 + 1e-12);
        assertEquals(1, k.lipschitzUpperBound(), 1e-12);
        assertEquals(1, k.withBoundary(BlurOperator.Boundary.PERIODIC).lipschitzOfGradient(16, 16), 1e-8);
    }

    @Test
    void float32_matchesFloat64() {
        BlurOperator k = BlurOperator.motion(7, 20);
        Tensor x = Tensor.randn(D, new SplittableRandom(5), 1, 2, 10, 12);
        assertArrayEquals(k.apply(x).toDoubleArray(), k.apply(x.to(DataType.FLOAT)).toDoubleArray(), 1e-5);
        assertArrayEquals(k.adjoint(x).toDoubleArray(), k.adjoint(x.to(DataType.FLOAT)).toDoubleArray(), 1e-5);
    }

    @Test
    void badInput_messagesNameTheArgument() {
        IllegalArgumentException even = assertThrows(IllegalArgumentException.class,
                () -> new BlurOperator(new double[][] {{0.5, 0.5}}));
        assertTrue(even.getMessage().contains("kernel") && even.getMessage().contains("1 × 2"), even.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> BlurOperator.gaussian(1).apply(Tensor.zeros(D, 4, 4)));
        assertTrue(rank.getMessage().contains("[batch, channels, height, width]") && rank.getMessage().contains("[4, 4]"),
                rank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlurOperator.motion(0));
        assertThrows(ArithmeticException.class, () -> BlurOperator.gaussian(Double.NaN));
    }
}
