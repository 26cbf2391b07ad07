package io.structflow.imaging;

import io.structflow.constraints.linalg.ConvOperatorNorm;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.FusedGradientFlow;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;

/** Small synthetic images and dense linear algebra shared by the tests. */
final class TestImages {
    private TestImages() {
    }

    /**
     * A piecewise-constant {@code [1, 1, n, n]} float64 image: background 0.2, a rectangle of 0.8
     * and a disc of 0.5.
     */
    static Tensor piecewiseConstant(int n) {
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0.2;
                if (i >= n / 8 && i < n / 2 && j >= n / 8 && j < 5 * n / 8) {
                    v = 0.8;
                }
                double di = i - 0.68 * n;
                double dj = j - 0.62 * n;
                if (di * di + dj * dj < (0.22 * n) * (0.22 * n)) {
                    v = 0.5;
                }
                d[i * n + j] = v;
            }
        }
        return Tensor.of(DataType.DOUBLE, d, 1, 1, n, n);
    }

    /**
     * One contractive gradient step {@code x − hKᵀReLU(Kx + b)} on {@code [batch, 1, side, side]}
     * float64 images, with a random (not symmetric) kernel {@code [hidden, 1, 3, 3]} of scale
     * {@code kernelScale}, random biases of scale {@code biasScale} and {@code h = 1.8/‖K‖²}: it is
     * 0.9-averaged, since {@code h < 2/‖K‖²} ([CMOSS] (3.5)).
     */
    static UnaryOperator<Tensor> contractiveStep(long seed, int hidden, int side, double kernelScale, double biasScale) {
        Tensor kernel = Tensor.randn(DataType.DOUBLE, new SplittableRandom(seed), hidden, 1, 3, 3).mul(kernelScale);
        Tensor bias = Tensor.randn(DataType.DOUBLE, new SplittableRandom(seed + 1), hidden).mul(biasScale);
        double norm = new ConvOperatorNorm(ConvGeometry.same(3), side, side).estimate(kernel.value());
        Tensor h = Tensor.scalar(1.8 / (norm * norm), DataType.DOUBLE);
        return x -> FusedGradientFlow.conv(x, kernel, bias, h, -1, Activation.relu());
    }

    /** Largest eigenvalue of a symmetric matrix by the cyclic Jacobi method (independent of power iteration). */
    static double largestEigenvalue(double[][] symmetric) {
        int n = symmetric.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = symmetric[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, a[i][i]);
        }
        return max;
    }
}
