package io.structflow.constraints.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CircularConvolutionSpectrumTest {
    private static final DataType D = DataType.DOUBLE;

    /** The dense matrix of the circular convolution, written from its definition (rows: outputs, row-major). */
    private static double[] circularMatrix(double[] k, int out, int in, int kh, int kw, int h, int w) {
        int n = in * h * w;
        double[] a = new double[out * h * w * n];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int row = (o * h + i) * w + j;
                    for (int c = 0; c < in; c++) {
                        for (int p = 0; p < kh; p++) {
                            for (int q = 0; q < kw; q++) {
                                int si = Math.floorMod(i + p - kh / 2, h);
                                int sj = Math.floorMod(j + q - kw / 2, w);
                                a[row * n + (c * h + si) * w + sj] += k[((o * in + c) * kh + p) * kw + q];
                            }
                        }
                    }
                }
            }
        }
        return a;
    }

    /** Singular values by LAPACK's gesvd (an independent algorithm), descending. */
    private static double[] lapackSingularValues(double[] a, int rows, int cols) {
        INDArray m = Nd4j.create(a, new long[] {rows, cols}, 'c').castTo(D).dup('f');
        INDArray s = Nd4j.create(D, Math.min(rows, cols));
        Nd4j.getBlasWrapper().lapack().gesvd(m, s, null, null);
        double[] v = s.toDoubleVector();
        Arrays.sort(v);
        double[] desc = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            desc[i] = v[v.length - 1 - i];
        }
        return desc;
    }

    @Test
    void singularValues_randomKernels_matchTheDenseOperatorsSvdTo1e10() {
        int[][] cases = {{2, 2, 3, 3, 5, 4}, {3, 2, 3, 3, 4, 6}, {2, 3, 1, 3, 5, 5}, {2, 2, 5, 5, 3, 4}};
        for (int[] c : cases) {
            int out = c[0];
            int in = c[1];
            Tensor k = Tensor.randn(D, new SplittableRandom(out * 100 + c[4]), out, in, c[2], c[3]);
            double[] fft = CircularConvolutionSpectrum.singularValues(k.value(), c[4], c[5]);
            double[] dense = lapackSingularValues(circularMatrix(k.toDoubleArray(), out, in, c[2], c[3], c[4], c[5]),
                    out * c[4] * c[5], in * c[4] * c[5]);
            assertEquals(Math.min(out, in) * c[4] * c[5], fft.length, Arrays.toString(c));
            for (int i = 0; i < fft.length; i++) {
                assertEquals(dense[i], fft[i], 1e-10 * dense[0], Arrays.toString(c) + " value " + i);
            }
        }
    }

    @Test
    void norm_zeroPaddedBound_isATrueUpperBoundOfTheDenseOperatorAndTight() {
        for (int seed = 40; seed < 44; seed++) {
            Tensor k = Tensor.randn(D, new SplittableRandom(seed), 2, 2, 3, 3);
            int h = 5 + seed % 2;
            int w = 4;
            // zero padding = circular on the (H+2)×(W+2) torus restricted to the embedded image
            double[] padded = new double[2 * h * w * 2 * h * w];
            double[] k9 = k.toDoubleArray();
            for (int o = 0; o < 2; o++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        for (int c = 0; c < 2; c++) {
                            for (int p = 0; p < 3; p++) {
                                for (int q = 0; q < 3; q++) {
                                    int si = i + p - 1;
                                    int sj = j + q - 1;
                                    if (si >= 0 && si < h && sj >= 0 && sj < w) {
                                        padded[((o * h + i) * w + j) * 2 * h * w + (c * h + si) * w + sj] +=
                                                k9[((o * 2 + c) * 3 + p) * 3 + q];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            double exact = lapackSingularValues(padded, 2 * h * w, 2 * h * w)[0];
            double bound = new ConvOperatorNorm(ConvGeometry.same(3), h, w).upperBound(k.value());
            assertTrue(bound >= exact, "seed " + seed + ": Gram bound " + bound + " below the exact norm " + exact);
            double circular = CircularConvolutionSpectrum.norm(k.value(), h + 2, w + 2);
            assertTrue(bound >= circular * (1 - 1e-6) && bound <= circular * (1 + 1e-5),
                    "seed " + seed + ": the bound is the (H+2)×(W+2) torus norm " + circular + " but got " + bound);
        }
    }

    @Test
    void singularValues_deltaOrthogonalKernel_areAllOne() {
        double[] k = new double[2 * 2 * 3 * 3];
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        k[((0 * 2 + 0) * 3 + 1) * 3 + 1] = c;
        k[((0 * 2 + 1) * 3 + 1) * 3 + 1] = -s;
        k[((1 * 2 + 0) * 3 + 1) * 3 + 1] = s;
        k[((1 * 2 + 1) * 3 + 1) * 3 + 1] = c;
        for (double v : CircularConvolutionSpectrum.singularValues(Tensor.of(D, k, 2, 2, 3, 3).value(), 4, 5)) {
            assertEquals(1.0, v, 1e-14);
        }
    }

    @Test
    void singularValues_badArguments_nameThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CircularConvolutionSpectrum.singularValues(Nd4j.zeros(D, 3, 3), 4, 4));
        assertTrue(e.getMessage().contains("kernel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CircularConvolutionSpectrum.singularValues(Nd4j.zeros(D, 1, 1, 3, 3), 0, 4));
        assertTrue(e.getMessage().contains("image size"), e.getMessage());
    }
}
