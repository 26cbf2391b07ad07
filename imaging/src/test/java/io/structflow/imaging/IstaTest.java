package io.structflow.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Compressed sensing: a 5-sparse x ∈ ℝ¹⁰⁰ from 40 noiseless Gaussian measurements. The lasso
 * minimiser is biased by O(λ) on the support, so ISTA with λ = 0.02 finds a support containing the true
 * one (soft thresholding leaves exact zeros elsewhere) and x only to ~λ; debiasing (least squares on that
 * support, by projected gradient) then recovers x to 1e-4 and better, since the found support contains the true one and y = Ax
 * exactly.
 */
class IstaTest {
    private static final DataType D = DataType.DOUBLE;
    private static final int M = 40;
    private static final int N = 100;
    private static final int[] SUPPORT = {3, 17, 42, 68, 91};
    private static final double[] VALUES = {1.5, -2.0, 0.8, -1.1, 2.4};

    private static final double LAMBDA = 0.02;

    private final MatrixOperator a = new MatrixOperator(Tensor.randn(D, new SplittableRandom(7), M, N).mul(1 / Math.sqrt(M)));
    private final Tensor truth = sparse();
    private final Tensor y = a.apply(truth);
    private final double lipschitz = a.normSquared(1, N);

    private static Tensor sparse() {
        double[] x = new double[N];
        for (int i = 0; i < SUPPORT.length; i++) {
            x[SUPPORT[i]] = VALUES[i];
        }
        return Tensor.of(D, x, 1, N);
    }

    @Test
    void ista_smallLambda_findsSupportAndDebiasingRecoversSignalTo1e4() {
        double tau = 1 / lipschitz;
        Reconstruction lasso = new Ista(a, y, LAMBDA, tau).run(Tensor.zeros(D, 1, N), new IterationSettings(5000, 1e-10));
        assertEquals(Reconstruction.StopReason.CONVERGED, lasso.stopReason());
        double[] x = lasso.x().toDoubleArray();
        double biased = Norms.distance(lasso.x(), truth);
        assertTrue(biased > 1e-3 && biased < 5 * LAMBDA, "lasso error " + biased + " is of the order of λ");
        // the lasso support contains the true one; a few tiny extra entries may join it
        double spurious = 0;
        int found = 0;
        for (int i = 0; i < N; i++) {
            final int index = i;
            boolean inTruth = java.util.Arrays.stream(SUPPORT).anyMatch(t -> t == index);
            if (inTruth) {
                assertTrue(Math.abs(x[i]) > 0.5, "entry " + i + " = " + x[i]);
            } else {
                spurious = Math.max(spurious, Math.abs(x[i]));
            }
            found += x[i] != 0 ? 1 : 0;
        }
        assertTrue(found <= 2 * SUPPORT.length, found + " non-zeros after " + lasso.iterations() + " iterations");
        assertTrue(spurious < LAMBDA, "largest spurious entry " + spurious);
        // debiasing: least squares on the found support (full column rank, contains the truth) is exact
        Reconstruction debiased = Ista.debias(a, y, lasso.x(), 0, tau, new IterationSettings(5000, 1e-14));
        double error = Norms.distance(debiased.x(), truth);
        assertTrue(error <= 1e-4, "debiased error " + error);
        assertArrayEquals(truth.toDoubleArray(), debiased.x().toDoubleArray(), 1e-8);
    }

    @Test
    void ista_objectiveDecreasesMonotonically_belowTwoOverL() {
        double tau = 1.9 / lipschitz;
        Reconstruction r = new Ista(a, y, 0.05, tau).run(Tensor.zeros(D, 1, N), new IterationSettings(300, 0));
        for (int k = 0; k < 300; k++) {
            assertTrue(r.objective()[k + 1] <= r.objective()[k] + 1e-14, "iteration " + k);
        }
    }

    @Test
    void softThreshold_matchesDefinition() {
        Tensor v = Tensor.of(D, new double[] {-3, -0.5, 0, 0.2, 2}, 1, 5);
        assertArrayEquals(new double[] {-2, 0, 0, 0, 1}, new SoftThreshold(0.5).apply(v, 2).toDoubleArray(), 1e-15);
        assertEquals(0.5 * 5.7, new SoftThreshold(0.5).value(v), 1e-15);
    }

    @Test
    void matrixOperator_adjointIsTranspose() {
        Tensor x = Tensor.randn(D, new SplittableRandom(1), 3, N);
        Tensor z = Tensor.randn(D, new SplittableRandom(2), 3, M);
        double lhs = Norms.dot(a.apply(x), z);
        assertEquals(lhs, Norms.dot(x, a.adjoint(z)), 1e-12 * Math.abs(lhs));
        // ‖A‖² of an m×n Gaussian with variance 1/m is about (1 + √(n/m))²
        assertEquals(Math.pow(1 + Math.sqrt((double) N / M), 2), lipschitz, 1.5);
    }
}
