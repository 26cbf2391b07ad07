package io.structflow.constraints.parametrize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.guarantee.OrthogonalOperator;
import io.structflow.constraints.linalg.CircularConvolutionSpectrum;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.GradCheck;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class FourierCayleyConvolutionTest {
    private static Tensor raw(DataType type, long seed, int c, int k) {
        return Tensor.randn(type, new SplittableRandom(seed), c, c, k, k).mul(0.6);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void operator_exactFftSingularValues_areOneTo1e10InFloat64And1e5InFloat32() {
        int[][] cases = {{2, 3, 5, 4}, {3, 3, 6, 6}, {2, 1, 3, 5}, {4, 5, 4, 4}};
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tol = type == DataType.DOUBLE ? 1e-10 : 1e-5;
            for (int[] c : cases) {
                FourierCayleyConvolution p = new FourierCayleyConvolution(c[0], c[1], c[2], c[3], type);
                Tensor blocks = p.apply(raw(type, c[0] * 7 + c[2], c[0], c[1]));
                Tensor kernel = p.operator().kernelOf(blocks).to(DataType.DOUBLE);
                double[] s = CircularConvolutionSpectrum.singularValues(kernel.value(), c[2], c[3]);
                assertEquals(c[0] * c[2] * c[3], s.length);
                assertEquals(1.0, s[0], tol, type + " " + java.util.Arrays.toString(c) + " largest");
                assertEquals(1.0, s[s.length - 1], tol, type + " " + java.util.Arrays.toString(c) + " smallest");
            }
        }
    }

    @Test
    void apply_isTheCircularConvolutionWithItsKernel_andRealInFloat64() {
        int c = 2;
        int h = 5;
        int w = 4;
        FourierCayleyConvolution p = new FourierCayleyConvolution(c, 3, h, w, DataType.DOUBLE);
        Tensor blocks = p.apply(raw(DataType.DOUBLE, 3, c, 3));
        double[] k = p.operator().kernelOf(blocks).toDoubleArray();
        Tensor x = Tensor.randn(DataType.DOUBLE, new SplittableRandom(4), 2, c, h, w);
        double[] xv = x.toDoubleArray();
        double[] y = p.operator().apply(blocks, x, false).toDoubleArray();
        for (int b = 0; b < 2; b++) {
            for (int o = 0; o < c; o++) {
                for (int t1 = 0; t1 < h; t1++) {
                    for (int t2 = 0; t2 < w; t2++) {
                        double direct = 0;
                        for (int i = 0; i < c; i++) {
                            for (int s1 = 0; s1 < h; s1++) {
                                for (int s2 = 0; s2 < w; s2++) {
                                    direct += k[((o * c + i) * h + s1) * w + s2]
                                            * xv[((b * c + i) * h + Math.floorMod(t1 - s1, h)) * w + Math.floorMod(t2 - s2, w)];
                                }
                            }
                        }
                        assertEquals(direct, y[((b * c + o) * h + t1) * w + t2], 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void apply_randomInputs_keepTheNormAndTheAdjointInverts() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tol = type == DataType.DOUBLE ? 1e-12 : 2e-6;
            FourierCayleyConvolution p = new FourierCayleyConvolution(4, 3, 7, 7, type);
            Tensor blocks = p.apply(raw(type, 11, 4, 3));
            Tensor x = Tensor.randn(type, new SplittableRandom(12), 8, 4, 7, 7);
            Tensor y = p.operator().apply(blocks, x, false);
            Tensor back = p.operator().apply(blocks, y, true);
            for (int b = 0; b < 8; b++) {
                double nx = norm(x.slice(0, b, b + 1).toDoubleArray());
                double ny = norm(y.slice(0, b, b + 1).toDoubleArray());
                assertEquals(1.0, ny / nx, tol, type + " sample " + b);
            }
            double[] xv = x.toDoubleArray();
            double[] bv = back.toDoubleArray();
            for (int i = 0; i < xv.length; i++) {
                assertEquals(xv[i], bv[i], 10 * tol * (1 + Math.abs(xv[i])), type + " entry " + i);
            }
        }
    }

    @Test
    void apply_gradientsOfTheRawKernel_matchFiniteDifferences() {
        FourierCayleyConvolution p = new FourierCayleyConvolution(2, 3, 4, 3, DataType.DOUBLE);
        Tensor x = Tensor.randn(DataType.DOUBLE, new SplittableRandom(21), 2, 2, 4, 3);
        Tensor r = Tensor.randn(DataType.DOUBLE, new SplittableRandom(22), 2, 2, 4, 3);
        GradCheck.Result res = GradCheck.check(v -> p.operator().apply(p.apply(v[0]), v[1], false).mul(r).sum(),
                raw(DataType.DOUBLE, 23, 2, 3), x);
        assertTrue(res.passed(), res.worst());
        GradCheck.Result adj = GradCheck.check(v -> p.operator().apply(p.apply(v[0]), x, true).mul(r).sum(),
                raw(DataType.DOUBLE, 24, 2, 3));
        assertTrue(adj.passed(), adj.worst());
    }

    @Test
    void guarantees_nameTheOperator_andBadShapesAreRefused() {
        FourierCayleyConvolution p = new FourierCayleyConvolution(3, 3, 6, 6, DataType.FLOAT);
        assertEquals(new OrthogonalOperator(p.describeOperator()), p.guarantees().get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.apply(Tensor.zeros(DataType.FLOAT, 3, 2, 3, 3)));
        assertTrue(e.getMessage().contains("raw") && e.getMessage().contains("[3, 2, 3, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FourierCayleyConvolution(3, 0, 6, 6, DataType.FLOAT));
    }
}
