package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Average pooling and its backward in float32 ({@link OneDnnPooling} for contiguous arrays, libnd4j
 * for strided ones) against the definition computed in double: each window's mean, and each window's gradient
 * spread over it divided by k².
 */
class AvgPoolTest {
    @ParameterizedTest
    @CsvSource({"2, 3, 5, 8, 6, false", "3, 2, 4, 9, 12, false", "2, 64, 8, 28, 28, false", "2, 3, 5, 8, 6, true",
        "3, 2, 4, 9, 12, true"})
    void float32_forwardAndBackward_matchTheDefinition(int k, int b, int c, int h, int w, boolean strided) {
        SplittableRandom rng = new SplittableRandom(k * 31L + h);
        Tensor base = Tensor.randn(DataType.FLOAT, rng, b, c, strided ? w : h, strided ? h : w);
        // a transposed view is not contiguous: the libnd4j path; otherwise oneDNN's
        Tensor x = Tensor.variable(strided ? base.value().permute(0, 1, 3, 2) : base.value());
        assertEquals(!strided, OneDnnPooling.accepts(x.value()), "which path runs");
        Tensor g = Tensor.randn(DataType.FLOAT, rng, b, c, h / k, w / k);
        Tensor y = x.avgPool2d(k);
        Tensor[] dx = Autograd.grad(new Tensor[] {y}, new Tensor[] {g}, new Tensor[] {x}, false, false);

        double[] xs = x.toDoubleArray();
        double[] ys = y.toDoubleArray();
        double[] gs = g.toDoubleArray();
        double[] ds = dx[0].toDoubleArray();
        int ph = h / k;
        int pw = w / k;
        for (int n = 0; n < b * c; n++) {
            for (int i = 0; i < ph; i++) {
                for (int j = 0; j < pw; j++) {
                    double sum = 0;
                    double absSum = 0;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            sum += xs[(n * h + i * k + u) * w + j * k + v];
                            absSum += Math.abs(xs[(n * h + i * k + u) * w + j * k + v]);
                        }
                    }
                    double mean = sum / (k * k);
                    int o = (n * ph + i) * pw + j;
                    // k² − 1 float32 additions (each error ≤ 2⁻²⁴ of the partial sum, ≤ Σ|x|) and one
                    // division or product by 1/k²: the summation-error bound of the mean, and one rounding
                    double tolerance = k * k * Math.ulp((float) (absSum / (k * k))) + Math.ulp((float) mean);
                    assertEquals(mean, ys[o], tolerance, "mean of window " + o);
                    double spread = (float) (gs[o] / (k * k));
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            assertEquals(spread, ds[(n * h + i * k + u) * w + j * k + v], Math.ulp((float) spread),
                                    "gradient in window " + o);
                        }
                    }
                }
            }
        }
    }

    /** The backward is differentiable: its gradient is the pooling again (second derivatives). */
    @ParameterizedTest
    @CsvSource({"2", "3"})
    void float32_backwardOfTheBackward_isThePooling(int k) {
        SplittableRandom rng = new SplittableRandom(k);
        Tensor x = Tensor.variable(Tensor.randn(DataType.FLOAT, rng, 2, 3, 2 * k, 3 * k).value());
        Tensor g = Tensor.variable(Tensor.randn(DataType.FLOAT, rng, 2, 3, 2, 3).value());
        Tensor y = x.avgPool2d(k);
        Tensor dx = Autograd.grad(new Tensor[] {y}, new Tensor[] {g}, new Tensor[] {x}, true, true)[0];
        Tensor r = Tensor.randn(DataType.FLOAT, rng, 2, 3, 2 * k, 3 * k);
        // ∂/∂g ⟨dx(g), r⟩ = avgPool(r)
        Tensor dg = Autograd.grad(new Tensor[] {dx.mul(r).sum()}, null, new Tensor[] {g}, false, false)[0];
        double[] expected = r.avgPool2d(k).toDoubleArray();
        double[] actual = dg.toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, "∂/∂g at " + i);
        }
    }
}
