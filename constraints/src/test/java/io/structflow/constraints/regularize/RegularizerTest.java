package io.structflow.constraints.regularize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.TestMatrices;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.GradCheck;
import io.structflow.core.nn.Init;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class RegularizerTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void dense_knownSingularValues_matchesClosedForm() {
        Tensor w = TestMatrices.withSingularValues(1, 6, 4, 2.0, 1.0, 0.5, 0.0);
        double expected = Math.pow(4 - 1, 2) + 0 + Math.pow(0.25 - 1, 2) + 1;
        assertEquals(expected, new OrthogonalityPenalty().apply(w).item(), 1e-12);
        assertEquals(expected, new OrthogonalityPenalty().apply(w.transpose()).item(), 1e-12);
        assertEquals(0, new OrthogonalityPenalty().apply(Init.orthogonal(D, new SplittableRandom(2), 5, 3)).item(), 1e-24);
    }

    @Test
    void dense_gradients_passGradCheck() {
        GradCheck.Result r = GradCheck.check(x -> new OrthogonalityPenalty().apply(x[0]), Tensor.randn(D, new SplittableRandom(3), 4, 3));
        assertTrue(r.passed(), r.worst());
    }

    /** Conv(K, K)[i, j, y, x] = Σ_c Σ_{u,v} Kpad_i[c, y·s + u, x·s + v] K_j[c, u, v], written out. */
    private static double naivePenalty(double[] k, int o, int c, int ks, int s) {
        int p = (ks - 1) / s * s;
        int out = 2 * p / s + 1;
        double total = 0;
        for (int i = 0; i < o; i++) {
            for (int j = 0; j < o; j++) {
                for (int y = 0; y < out; y++) {
                    for (int x = 0; x < out; x++) {
                        double sum = 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int u = 0; u < ks; u++) {
                                for (int v = 0; v < ks; v++) {
                                    int r = y * s + u - p;
                                    int q = x * s + v - p;
                                    if (r >= 0 && r < ks && q >= 0 && q < ks) {
                                        sum += k[((i * c + ch) * ks + r) * ks + q] * k[((j * c + ch) * ks + u) * ks + v];
                                    }
                                }
                            }
                        }
                        double target = i == j && y == p / s && x == p / s ? 1 : 0;
                        total += (sum - target) * (sum - target);
                    }
                }
            }
        }
        return total;
    }

    @Test
    void conv_matchesWrittenOutDefinition_stride1And2() {
        for (int s : new int[] {1, 2}) {
            Tensor k = Tensor.randn(D, new SplittableRandom(4 + s), 3, 2, 3, 3).mul(0.5);
            double expected = naivePenalty(k.toDoubleArray(), 3, 2, 3, s);
            assertEquals(expected, new ConvOrthogonalityPenalty(s).apply(k).item(), 1e-12 * Math.max(1, expected));
        }
    }

    @Test
    void conv_deltaOrthogonalKernel_isZero() {
        Tensor q = Init.orthogonal(D, new SplittableRandom(6), 4, 4);
        double[] qv = q.toDoubleArray();
        double[] k = new double[4 * 4 * 3 * 3];
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 4; c++) {
                k[((i * 4 + c) * 3 + 1) * 3 + 1] = qv[i * 4 + c];
            }
        }
        assertEquals(0, new ConvOrthogonalityPenalty().apply(Tensor.of(D, k, 4, 4, 3, 3)).item(), 1e-24);
    }

    @Test
    void conv_gradients_passGradCheck() {
        for (int s : new int[] {1, 2}) {
            GradCheck.Result r = GradCheck.check(x -> new ConvOrthogonalityPenalty(s).apply(x[0]),
                    Tensor.randn(D, new SplittableRandom(7), 2, 2, 3, 3).mul(0.5));
            assertTrue(r.passed(), r.worst());
        }
    }

    @Test
    void wrongRanks_throwNamingShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OrthogonalityPenalty().apply(Tensor.zeros(D, 2, 2, 3, 3)));
        assertTrue(e.getMessage().contains("[2, 2, 3, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConvOrthogonalityPenalty().apply(Tensor.zeros(D, 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> new ConvOrthogonalityPenalty(0));
    }
}
