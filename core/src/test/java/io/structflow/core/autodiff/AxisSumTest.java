package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Float32 sums over axes against the sums in double, within the worst-case error of float32 summation, {@code (m − 1)·2⁻²⁴·Σ|x|} over the m
 * summed values, plus the final rounding.
 */
class AxisSumTest {
    @ParameterizedTest
    @CsvSource({"64 8 28 28, 0 2 3, true", "64 8 28 28, 0 2 3, false", "5 7, 0, false", "5 7, 1, true", "256 64, 0, true", "1024 128, 0, true",
        "3 4 5, 1, false", "3 4 5, 0 2, true", "2 3 4 5 6, 1 3 4, false", "300, 0, false"})
    void float32_sumOverAxes_matchesTheDoubleSum(String shapeText, String axesText, boolean keepDims) {
        long[] shape = Arrays.stream(shapeText.split(" ")).mapToLong(Long::parseLong).toArray();
        int[] axes = Arrays.stream(axesText.split(" ")).mapToInt(Integer::parseInt).toArray();
        Tensor x = Tensor.randn(DataType.FLOAT, new SplittableRandom(shape.length * 7L + axes.length), shape);
        Tensor y = x.sum(keepDims, axes);

        long[] expectedShape = keepDims ? withOnes(shape, axes) : kept(shape, axes);
        assertArrayEquals(expectedShape, y.shape());
        double[] xs = x.toDoubleArray();
        long[] outShape = withOnes(shape, axes);
        double[] sum = new double[(int) y.length()];
        double[] abs = new double[sum.length];
        long summed = x.length() / y.length();
        for (int i = 0; i < xs.length; i++) {
            // the flat index of i's kept coordinates in the row-major output
            long rest = i;
            long o = 0;
            long outStride = 1;
            long[] coord = new long[shape.length];
            for (int a = shape.length - 1; a >= 0; a--) {
                coord[a] = rest % shape[a];
                rest /= shape[a];
            }
            for (int a = shape.length - 1; a >= 0; a--) {
                o += (outShape[a] == 1 ? 0 : coord[a]) * outStride;
                outStride *= outShape[a];
            }
            sum[(int) o] += xs[i];
            abs[(int) o] += Math.abs(xs[i]);
        }
        double[] ys = y.toDoubleArray();
        for (int o = 0; o < sum.length; o++) {
            double tolerance = (summed - 1) * Math.scalb(abs[o], -24) + Math.ulp((float) sum[o]);
            assertEquals(sum[o], ys[o], tolerance, "sum " + o);
        }
    }

    private static long[] withOnes(long[] shape, int[] axes) {
        long[] s = shape.clone();
        for (int a : axes) {
            s[a] = 1;
        }
        return s;
    }

    private static long[] kept(long[] shape, int[] axes) {
        return Arrays.stream(withOnes(shape, axes)).filter(d -> d != 1).toArray();
    }
}
