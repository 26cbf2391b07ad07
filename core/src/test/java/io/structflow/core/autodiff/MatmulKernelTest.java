package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Float32 products of {@link MatmulKernel} (oneDNN on contiguous operands, libnd4j
 * for strided operands) against the product summed in double, within the worst-case error of a
 * float32 dot product of length k, {@code k·2⁻²⁴·Σ|aᵢ||bᵢ|} plus the operands' and the result's
 * roundings.
 */
class MatmulKernelTest {
    @ParameterizedTest
    @CsvSource({"256, 64, 64", "64, 256, 64", "129, 37, 101", "7, 5, 3", "300, 2, 64", "1, 256, 64", "256, 1, 8"})
    void everyTranspose_matchesTheDoubleProduct(int m, int k, int n) {
        SplittableRandom rng = new SplittableRandom(m * 31L + k * 7L + n);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = Tensor.randn(DataType.FLOAT, rng, ta ? k : m, ta ? m : k);
                Tensor b = Tensor.randn(DataType.FLOAT, rng, tb ? n : k, tb ? k : n);
                Tensor c = a.matmul(b, ta, tb);
                assertArrayEquals(new long[] {m, n}, c.shape());
                assertProduct(a.value(), b.value(), ta, tb, c.value(), m + "x" + k + "x" + n + " ta=" + ta + " tb=" + tb);
            }
        }
    }

    /** A strided left operand (a column block of a wider matrix) runs on libnd4j with the same result. */
    @ParameterizedTest
    @CsvSource({"256, 64, 64", "9, 4, 6"})
    void stridedOperand_matchesTheDoubleProduct(int m, int k, int n) {
        SplittableRandom rng = new SplittableRandom(5);
        INDArray wide = Tensor.randn(DataType.FLOAT, rng, m, k + 3).value();
        INDArray a = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(1, k + 1));
        assertFalse(OneDnn.contiguous(a), "the operand is strided");
        INDArray b = Tensor.randn(DataType.FLOAT, rng, k, n).value();
        INDArray c = Nd4j.create(DataType.FLOAT, m, n);
        new MatmulKernel(false, false).run(new INDArray[] {a, b}, new INDArray[] {c});
        assertProduct(a, b, false, false, c, "strided");
    }

    /** A second run on the same arrays reads their new contents (the bindings are kept, not the data). */
    @ParameterizedTest
    @CsvSource({"256, 64, 64"})
    void rerunOnTheSameArrays_readsTheirNewContents(int m, int k, int n) {
        SplittableRandom rng = new SplittableRandom(9);
        INDArray a = Tensor.randn(DataType.FLOAT, rng, m, k).value();
        INDArray b = Tensor.randn(DataType.FLOAT, rng, k, n).value();
        INDArray c = Nd4j.create(DataType.FLOAT, m, n);
        MatmulKernel kernel = new MatmulKernel(false, false);
        INDArray[] in = {a, b};
        INDArray[] out = {c};
        kernel.run(in, out);
        a.assign(Tensor.randn(DataType.FLOAT, rng, m, k).value());
        b.muli(-2);
        kernel.run(in, out);
        assertProduct(a, b, false, false, c, "second run");
    }

    private static void assertProduct(INDArray a, INDArray b, boolean ta, boolean tb, INDArray c, String what) {
        double[][] x = matrix(a, ta);
        double[][] y = matrix(b, tb);
        int m = x.length;
        int k = y.length;
        int n = y[0].length;
        double[][] got = matrix(c, false);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int l = 0; l < k; l++) {
                    sum += x[i][l] * y[l][j];
                    abs += Math.abs(x[i][l] * y[l][j]);
                }
                double tolerance = (k + 1) * Math.scalb(abs, -24) + Math.ulp((float) sum);
                assertEquals(sum, got[i][j], tolerance, what + " (" + i + ", " + j + ")");
            }
        }
    }

    /** The array as a double matrix, transposed when asked. */
    private static double[][] matrix(INDArray a, boolean transpose) {
        int r = (int) a.size(0);
        int s = (int) a.size(1);
        double[][] out = transpose ? new double[s][r] : new double[r][s];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < s; j++) {
                double v = a.getDouble(i, j);
                if (transpose) {
                    out[j][i] = v;
                } else {
                    out[i][j] = v;
                }
            }
        }
        return out;
    }
}
