package io.structflow.constraints.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Tridiagonal}'s top eigenpair against LAPACK's symmetric eigensolver (through ND4J) and
 * the definition: λ equal to the largest eigenvalue within 8ε‖T‖, and a unit s with
 * {@code ‖Ts − λs‖ ≤ 64ε‖T‖·n}, on random matrices of every order up to 24 and on hard cases
 * (a top eigenvalue of multiplicity two from a zero coupling, Wilkinson's W⁺₂₁ whose two largest
 * eigenvalues agree to 14 digits, scales 1e−8 and 1e8, the zero matrix, a negative definite one).
 */
class TridiagonalTest {
    @Test
    void randomMatrices_topPairMatchesLapack() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n = 1; n <= 24; n++) {
            for (int trial = 0; trial < 5; trial++) {
                double[] alpha = new double[n];
                double[] beta = new double[n];
                for (int i = 0; i < n; i++) {
                    alpha[i] = rng.nextDouble(-1, 1);
                    beta[i] = rng.nextDouble(-1, 1);
                }
                check(alpha, beta, n, "random n=" + n + " trial " + trial);
            }
        }
    }

    @Test
    void hardCases_topPairMatchesLapack() {
        double[] wilkinsonAlpha = new double[21];
        double[] wilkinsonBeta = new double[21];
        for (int i = 0; i < 21; i++) {
            wilkinsonAlpha[i] = Math.abs(10 - i);
            wilkinsonBeta[i] = 1;
        }
        check(wilkinsonAlpha, wilkinsonBeta, 21, "Wilkinson W21+");
        check(new double[] {2, 1, 2, 1}, new double[] {0.5, 0, 0.5, 0}, 4, "two equal blocks");
        check(new double[] {3, 3, 3}, new double[] {0, 0, 0}, 3, "3I");
        check(new double[5], new double[5], 5, "zero");
        check(new double[] {-4, -5, -6}, new double[] {0.1, 0.2, 0}, 3, "negative definite");
        for (double scale : new double[] {1e-8, 1e8}) {
            SplittableRandom rng = new SplittableRandom(11);
            double[] alpha = new double[12];
            double[] beta = new double[12];
            for (int i = 0; i < 12; i++) {
                alpha[i] = scale * rng.nextDouble();
                beta[i] = scale * rng.nextDouble();
            }
            check(alpha, beta, 12, "scale " + scale);
        }
    }

    private static void check(double[] alpha, double[] beta, int n, String what) {
        double lambda = Tridiagonal.largestEigenvalue(alpha, beta, n);
        double[] s = new double[n];
        Tridiagonal.eigenvector(alpha, beta, n, lambda, s, Tridiagonal.workspace(n));

        INDArray t = Nd4j.zeros(DataType.DOUBLE, n, n);
        double norm = 0;
        for (int i = 0; i < n; i++) {
            t.putScalar(i, i, alpha[i]);
            if (i + 1 < n) {
                t.putScalar(i, i + 1, beta[i]);
                t.putScalar(i + 1, i, beta[i]);
            }
            norm = Math.max(norm, Math.abs(alpha[i]) + (i > 0 ? Math.abs(beta[i - 1]) : 0)
                    + (i + 1 < n ? Math.abs(beta[i]) : 0));
        }
        double lapack = Eigen.symmetricGeneralizedEigenvalues(t.dup()).maxNumber().doubleValue();
        double eps = Math.ulp(1.0);
        assertEquals(lapack, lambda, 8 * eps * Math.max(norm, Double.MIN_NORMAL), what + ": λ_max");

        double length = 0;
        double residual = 0;
        for (int i = 0; i < n; i++) {
            length += s[i] * s[i];
            double ts = alpha[i] * s[i] + (i > 0 ? beta[i - 1] * s[i - 1] : 0) + (i + 1 < n ? beta[i] * s[i + 1] : 0);
            residual += (ts - lambda * s[i]) * (ts - lambda * s[i]);
        }
        assertEquals(1, Math.sqrt(length), 1e-14, what + ": ‖s‖");
        assertTrue(Math.sqrt(residual) <= 64 * eps * norm * n, what + ": ‖Ts − λs‖ = " + Math.sqrt(residual)
                + " for ‖T‖ ≈ " + norm);
    }
}
