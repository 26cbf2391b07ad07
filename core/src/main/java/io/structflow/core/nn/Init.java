package io.structflow.core.nn;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/** Seeded weight initialisers; each returns a fresh constant tensor to wrap in a {@link Parameter}. */
public final class Init {
    private Init() {
    }

    /**
     * A matrix {@code [rows, cols]} with orthonormal rows (rows ≤ cols) or columns (rows ≥ cols):
     * modified Gram–Schmidt on a Gaussian matrix (Saxe et al. 2014). For shapes of rank &gt; 2 the
     * trailing axes are flattened ({@code [O, C, kH, kW] → [O, C·kH·kW]}), as PyTorch's
     * {@code orthogonal_}.
     */
    public static Tensor orthogonal(DataType type, SplittableRandom rng, long... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("Init.orthogonal: shape expected rank ≥ 2 but got " + Shapes.str(shape));
        }
        int rows = (int) shape[0];
        int cols = (int) (Shapes.size(shape) / rows);
        boolean tall = rows >= cols;
        int n = tall ? rows : cols;   // vector length
        int k = tall ? cols : rows;   // number of orthonormal vectors
        double[][] v = new double[k][n];
        for (int i = 0; i < k; i++) {
            do {
                for (int j = 0; j < n; j++) {
                    v[i][j] = gaussian(rng);
                }
                for (int p = 0; p < i; p++) {
                    double dot = 0;
                    for (int j = 0; j < n; j++) {
                        dot += v[p][j] * v[i][j];
                    }
                    for (int j = 0; j < n; j++) {
                        v[i][j] -= dot * v[p][j];
                    }
                }
            } while (normalise(v[i]) < 1e-6);
        }
        double[] data = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                data[r * cols + c] = tall ? v[c][r] : v[r][c];
            }
        }
        return Tensor.of(type, data, shape);
    }

    /**
     * The delta-orthogonal convolution kernel of Xiao et al., "Dynamical isometry and a mean field
     * theory of CNNs", ICML 2018, Algorithm 2: {@code [O, C, k, k]} (k odd) zero except its centre
     * tap {@code [:, :, k/2, k/2]}, an {@link #orthogonal} {@code O × C} matrix Q. The stride-1
     * "same" convolution with it applies Q at every pixel, so it is an isometry when O ≥ C and a
     * co-isometry (KKᵀ = I) when O ≤ C, on any image size: an orthogonal convolution, where a kernel
     * with orthonormal flattened rows ({@link #orthogonal} on the 4-d shape) is not.
     */
    public static Tensor deltaOrthogonal(DataType type, SplittableRandom rng, long... shape) {
        if (shape.length != 4 || shape[2] != shape[3] || shape[2] % 2 == 0) {
            throw new IllegalArgumentException("Init.deltaOrthogonal: shape expected [out, in, k, k] with k odd but got "
                    + Shapes.str(shape));
        }
        int out = (int) shape[0];
        int in = (int) shape[1];
        int k = (int) shape[2];
        double[] q = orthogonal(DataType.DOUBLE, rng, out, in).toDoubleArray();
        double[] data = new double[(int) Shapes.size(shape)];
        int centre = (k / 2) * k + k / 2;
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                data[((o * in) + c) * k * k + centre] = q[o * in + c];
            }
        }
        return Tensor.of(type, data, shape);
    }

    /** Xavier/Glorot uniform: U(±√(6/(fanIn + fanOut))). */
    public static Tensor xavierUniform(DataType type, SplittableRandom rng, long... shape) {
        long[] fans = fans(shape);
        double bound = Math.sqrt(6.0 / (fans[0] + fans[1]));
        return Tensor.uniform(type, rng, -bound, bound, shape);
    }

    /** Kaiming/He normal for ReLU-like activations: N(0, 2/fanIn). */
    public static Tensor kaimingNormal(DataType type, SplittableRandom rng, long... shape) {
        double std = Math.sqrt(2.0 / fans(shape)[0]);
        return Tensor.randn(type, rng, shape).mul(std);
    }

    /** {fanIn, fanOut} of a {@code [out, in, ...]} weight. */
    static long[] fans(long[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("Init: weight shape expected rank ≥ 2 but got " + Shapes.str(shape));
        }
        long receptive = Shapes.size(shape) / (shape[0] * shape[1]);
        return new long[] {shape[1] * receptive, shape[0] * receptive};
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static double normalise(double[] x) {
        double s = 0;
        for (double d : x) {
            s += d * d;
        }
        double norm = Math.sqrt(s);
        if (norm >= 1e-6) {
            for (int j = 0; j < x.length; j++) {
                x[j] /= norm;
            }
        }
        return norm;
    }
}
