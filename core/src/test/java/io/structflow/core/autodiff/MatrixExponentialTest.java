package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The BLAS path of {@code expm} (matrices larger than 48 × 48), against closed forms. */
class MatrixExponentialTest {
    private static final int N = 128;

    /**
     * A generator whose exponential is known: 2 × 2 blocks {@code [[0, θ], [−θ, 0]]} (exponential
     * {@code [[cos θ, sin θ], [−sin θ, cos θ]]}) with θ up to 12, so several squarings run, placed at
     * randomly permuted rows and columns {@code P B Pᵀ} (exponential {@code P expm(B) Pᵀ}).
     */
    private static double[][] generatorAndExponential() {
        SplittableRandom r = new SplittableRandom(3);
        int[] p = new int[N];
        for (int i = 0; i < N; i++) {
            p[i] = i;
        }
        for (int i = N - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int swap = p[i];
            p[i] = p[j];
            p[j] = swap;
        }
        double[] a = new double[N * N];
        double[] e = new double[N * N];
        for (int b = 0; b < N / 2; b++) {
            double theta = r.nextDouble(-12, 12);
            int i = p[2 * b];
            int j = p[2 * b + 1];
            a[i * N + j] = theta;
            a[j * N + i] = -theta;
            e[i * N + i] = Math.cos(theta);
            e[j * N + j] = Math.cos(theta);
            e[i * N + j] = Math.sin(theta);
            e[j * N + i] = -Math.sin(theta);
        }
        return new double[][] {a, e};
    }

    @Test
    void largeMatrix_matchesTheClosedForm() {
        double[][] ae = generatorAndExponential();
        double[] got = Tensor.of(DataType.DOUBLE, ae[0], N, N).expm().toDoubleArray();
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - ae[1][i]));
        }
        assertTrue(worst < 1e-12, "largest entry error " + worst);
    }

    @Test
    void replayedLargeExpm_allocatesNothingPerRun() {
        Tensor a = Tensor.of(DataType.DOUBLE, generatorAndExponential()[0], N, N);
        Replay replay = Replay.record(a::expm).replay();
        for (int i = 0; i < 3; i++) {
            replay.run();
        }
        long before = Pointer.physicalBytes();
        for (int i = 0; i < 100; i++) {
            replay.run();   // an array per product would add ~3 MiB each time, ~300 MiB in all
        }
        long grown = Pointer.physicalBytes() - before;
        assertTrue(grown < 64L << 20, "resident memory grew by " + (grown >> 20) + " MiB over 100 replays");
    }
}
