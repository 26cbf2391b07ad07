package io.structflow.layers.fields;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Parameter;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The mass-preserving field of [CMOSS] (4.2) with only the strictly upper entries of A(y) parametrised (float64). */
class MassPreservingFieldTest {
    private static final DataType D = DataType.DOUBLE;
    private static final int N = 4;
    private static final int M = 5;
    private static final int PAIRS = N * (N - 1) / 2;

    private static MassPreservingField field(long seed) {
        return new MassPreservingField(N, M, Activation.tanh(), D, new SplittableRandom(seed));
    }

    private static Tensor states(long seed) {
        return Tensor.randn(D, new SplittableRandom(seed), 3, N);
    }

    /**
     * A(y) for each sample by the definition, in plain loops: h = tanh(W₁y + b₁), v = W₂h + b₂,
     * a_ij = v_p for i &lt; j with p counting the strict upper triangle row by row.
     */
    private static double[][][] matrixByDefinition(MassPreservingField field, Tensor y) {
        Map<String, Parameter> p = field.namedParameters();
        double[] w1 = p.get("inner.weight").toDoubleArray();
        double[] b1 = p.get("inner.bias").toDoubleArray();
        double[] w2 = p.get("outer.weight").toDoubleArray();
        double[] b2 = p.get("outer.bias").toDoubleArray();
        double[] ys = y.toDoubleArray();
        int batch = (int) y.size(0);
        double[][][] a = new double[batch][N][N];
        for (int s = 0; s < batch; s++) {
            double[] h = new double[M];
            for (int k = 0; k < M; k++) {
                double z = b1[k];
                for (int j = 0; j < N; j++) {
                    z += w1[k * N + j] * ys[s * N + j];
                }
                h[k] = Math.tanh(z);
            }
            int pair = 0;
            for (int i = 0; i < N; i++) {
                for (int j = i + 1; j < N; j++, pair++) {
                    double v = b2[pair];
                    for (int k = 0; k < M; k++) {
                        v += w2[pair * M + k] * h[k];
                    }
                    a[s][i][j] = v;
                }
            }
        }
        return a;
    }

    @Test
    void apply_equalsRowSumsMinusColumnSumsOfTheDefinition() {
        MassPreservingField field = field(1);
        Tensor y = states(2);
        double[][][] a = matrixByDefinition(field, y);
        double[] f = field.apply(y).toDoubleArray();
        for (int s = 0; s < a.length; s++) {
            for (int i = 0; i < N; i++) {
                double expected = 0;
                for (int j = 0; j < N; j++) {
                    expected += a[s][i][j] - a[s][j][i];
                }
                assertEquals(expected, f[s * N + i], 1e-14, "sample " + s + ", f_" + i);
            }
        }
    }

    @Test
    void matrix_isTheStrictlyUpperTriangularDefinition() {
        MassPreservingField field = field(3);
        Tensor y = states(4);
        double[][][] a = matrixByDefinition(field, y);
        double[] matrix = field.matrix(y).toDoubleArray();
        for (int s = 0; s < a.length; s++) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    assertEquals(a[s][i][j], matrix[(s * N + i) * N + j], 1e-14, "sample " + s + ", a_" + i + j);
                }
            }
        }
    }

    @Test
    void outputLayer_hasNTimesNMinusOneOverTwoOutputs_eachMovingTheField() {
        MassPreservingField field = field(5);
        assertEquals(PAIRS, field.namedParameters().get("outer.weight").size(0));
        assertEquals(PAIRS, field.namedParameters().get("outer.bias").size(0));
        Tensor y = states(6);
        double eps = 1e-6;
        for (String name : new String[] {"outer.weight", "outer.bias"}) {
            Parameter p = field.namedParameters().get(name);
            INDArray base = p.value().dup();
            for (int e = 0; e < base.length(); e++) {
                INDArray plus = base.dup();
                plus.putScalar(e, base.getDouble(e) + eps);
                p.updateInPlace(plus);
                double[] fp = field.apply(y).toDoubleArray();
                INDArray minus = base.dup();
                minus.putScalar(e, base.getDouble(e) - eps);
                p.updateInPlace(minus);
                double[] fm = field.apply(y).toDoubleArray();
                p.updateInPlace(base);
                double effect = 0;
                for (int i = 0; i < fp.length; i++) {
                    effect = Math.max(effect, Math.abs(fp[i] - fm[i]) / (2 * eps));
                }
                assertTrue(effect > 1e-3, name + " entry " + e + " has no effect on f: " + effect);
            }
        }
    }

    @Test
    void apply_sumsToZero() {
        MassPreservingField field = field(7);
        double[] f = field.apply(Tensor.randn(D, new SplittableRandom(8), 16, N).mul(3)).toDoubleArray();
        for (int s = 0; s < 16; s++) {
            double sum = 0;
            double scale = 0;
            for (int i = 0; i < N; i++) {
                sum += f[s * N + i];
                scale += Math.abs(f[s * N + i]);
            }
            assertTrue(Math.abs(sum) <= 1e-14 * Math.max(scale, 1), "sample " + s + ": Σᵢfᵢ = " + sum);
        }
    }

    @Test
    void fromWeights_outputForTheFullMatrix_isRejectedNamingOuterWeight() {
        SplittableRandom rng = new SplittableRandom(9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MassPreservingField.fromWeights(Activation.tanh(), Tensor.randn(D, rng, M, N),
                        Tensor.randn(D, rng, M), Tensor.randn(D, rng, N * N, M), Tensor.randn(D, rng, N * N)));
        assertEquals("MassPreservingField.fromWeights: outerWeight expected shape [n(n−1)/2, m] = [6, 5] but got "
                + "[16, 5]", e.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> new MassPreservingField(1, M, Activation.tanh(), D, rng));
        assertTrue(one.getMessage().startsWith("MassPreservingField: n expected ≥ 2 but got 1"), one.getMessage());
    }
}
