package io.structflow.constraints;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Init;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/** Independent linear algebra for tests: cyclic Jacobi eigenvalues and matrices with known singular values. */
public final class TestMatrices {
    private TestMatrices() {
    }

    /** Eigenvalues of a symmetric matrix by the cyclic Jacobi method (Golub &amp; Van Loan §8.5). */
    public static double[] symmetricEigenvalues(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
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
                    if (a[p][q] == 0) {
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
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = a[i][i];
        }
        return ev;
    }

    /** Largest singular value of an m×n matrix (row-major) as √λ_max(MᵀM), by Jacobi. */
    public static double largestSingularValue(double[] w, int m, int n) {
        return singularValues(w, m, n)[0];
    }

    /** The n values √max(λᵢ(MᵀM), 0) of an m×n matrix (row-major), descending, by Jacobi. */
    public static double[] singularValues(double[] w, int m, int n) {
        double[][] g = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += w[i * n + a] * w[i * n + b];
                }
                g[a][b] = s;
            }
        }
        return java.util.Arrays.stream(symmetricEigenvalues(g)).map(e -> -Math.sqrt(Math.max(e, 0))).sorted()
                .map(s -> -s).toArray();
    }

    /** U diag(s) Vᵀ with random orthogonal U [m, m] and V [n, n] (float64). */
    public static Tensor withSingularValues(long seed, int m, int n, double... s) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor u = Init.orthogonal(DataType.DOUBLE, rng, m, m);
        Tensor v = Init.orthogonal(DataType.DOUBLE, rng, n, n);
        double[] d = new double[m * n];
        for (int i = 0; i < s.length; i++) {
            d[i * n + i] = s[i];
        }
        return u.matmul(Tensor.of(DataType.DOUBLE, d, m, n)).matmul(v, false, true);
    }

    /** max |AᵀA − I| (A tall) or max |AAᵀ − I| (A wide). */
    public static double orthogonalityError(Tensor a) {
        boolean tall = a.size(0) >= a.size(1);
        Tensor g = tall ? a.matmul(a, true, false) : a.matmul(a, false, true);
        double[] v = g.toDoubleArray();
        int k = (int) g.size(0);
        double worst = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                worst = Math.max(worst, Math.abs(v[i * k + j] - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }
}
