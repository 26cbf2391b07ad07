package io.structflow.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.FusedGradientFlow;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.GradCheck;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Lambda;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link DihedralAverage} against its definition: the group action pixel by pixel, equivariance,
 * the averagedness inequality on random pairs, gradients against finite differences (float64).
 */
class DihedralAverageTest {
    private static final DataType D = DataType.DOUBLE;
    private static final int S = 7;

    /** A contractive gradient step x − hKᵀReLU(Kx + b) with a random (not symmetric) 3×3 kernel, h = 1.8/‖K‖²: 0.9-averaged. */
    private static Lambda contractiveStep(long seed) {
        return new Lambda("step", TestImages.contractiveStep(seed, 3, S, 0.4, 0.1));
    }

    private static Tensor images(long seed, int batch) {
        return Tensor.randn(D, new SplittableRandom(seed), batch, 1, S, S);
    }

    @Test
    void act_movesEveryPixelAsTheFlipsAndTheTranspositionPrescribe_andActInverseUndoesIt() {
        Tensor x = images(1, 2);
        double[] v = x.toDoubleArray();
        Set<List<Double>> distinct = new HashSet<>();
        for (int g = 0; g < DihedralAverage.GROUP_ORDER; g++) {
            double[] moved = DihedralAverage.act(g, x).toDoubleArray();
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < S; i++) {
                    for (int j = 0; j < S; j++) {
                        // y = T^{g2}(R^{g1}(C^{g0}(x))): y[i][j] = x[r][c] with (r, c) found backwards
                        int r = (g & 4) != 0 ? j : i;
                        int c = (g & 4) != 0 ? i : j;
                        r = (g & 2) != 0 ? S - 1 - r : r;
                        c = (g & 1) != 0 ? S - 1 - c : c;
                        assertEquals(v[b * S * S + r * S + c], moved[b * S * S + i * S + j], 0.0,
                                "g = " + g + ", pixel (" + i + ", " + j + ")");
                    }
                }
            }
            assertArrayEquals(v, DihedralAverage.actInverse(g, DihedralAverage.act(g, x)).toDoubleArray(), 0.0);
            distinct.add(java.util.Arrays.stream(moved).boxed().toList());
        }
        assertEquals(8, distinct.size(), "the eight symmetries must move a random image to eight different images");
    }

    @Test
    void average_isEquivariant_whileTheInnerMapIsNot() {
        Lambda step = contractiveStep(3);
        DihedralAverage average = new DihedralAverage(step);
        Tensor x = images(5, 2);
        Tensor ax = average.forward(x);
        double innerError = 0;
        for (int h = 1; h < DihedralAverage.GROUP_ORDER; h++) {
            double[] expected = DihedralAverage.act(h, ax).toDoubleArray();
            double[] actual = average.forward(DihedralAverage.act(h, x)).toDoubleArray();
            assertArrayEquals(expected, actual, 1e-12, "D̄(hx) = h D̄(x) for h = " + h);
            innerError = Math.max(innerError, maxDifference(DihedralAverage.act(h, step.forward(x)).toDoubleArray(),
                    step.forward(DihedralAverage.act(h, x)).toDoubleArray()));
        }
        assertTrue(innerError > 1e-3, "the inner step must not be equivariant for this test to mean anything: " + innerError);
    }

    @Test
    void average_ofAnAveragedMap_isAveragedWithTheSameConstant() {
        double alpha = 0.9;   // h‖K‖²/2 of contractiveStep
        DihedralAverage average = new DihedralAverage(contractiveStep(7));
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 20; trial++) {
            Tensor x = images(rng.nextLong(), 1);
            Tensor y = x.add(images(rng.nextLong(), 1).mul(Math.pow(10, -2 + 2 * rng.nextDouble())));
            double[] tx = average.forward(x).toDoubleArray();
            double[] ty = average.forward(y).toDoubleArray();
            double[] xv = x.toDoubleArray();
            double[] yv = y.toDoubleArray();
            double moved = 0;
            double input = 0;
            double residual = 0;
            for (int i = 0; i < xv.length; i++) {
                moved += (tx[i] - ty[i]) * (tx[i] - ty[i]);
                input += (xv[i] - yv[i]) * (xv[i] - yv[i]);
                double r = (xv[i] - tx[i]) - (yv[i] - ty[i]);
                residual += r * r;
            }
            assertTrue(moved <= input - (1 - alpha) / alpha * residual + 1e-12 * input,
                    "‖Tx − Ty‖² = " + moved + " > ‖x − y‖² − ((1−α)/α)‖(I−T)x − (I−T)y‖² = "
                            + (input - (1 - alpha) / alpha * residual));
        }
    }

    @Test
    void gradients_withRespectToTheImagesAndTheInnerKernel_matchFiniteDifferences() {
        Tensor x = images(13, 1);
        Tensor kernel = Tensor.randn(D, new SplittableRandom(17), 2, 1, 3, 3).mul(0.4);
        Tensor bias = Tensor.randn(D, new SplittableRandom(19), 2).mul(0.1);
        Tensor weights = Tensor.randn(D, new SplittableRandom(23), 1, 1, S, S);
        GradCheck.Result r = GradCheck.check(v -> {
            Lambda step = new Lambda("step",
                    z -> FusedGradientFlow.conv(z, v[1], bias, Tensor.scalar(0.5, D), -1, Activation.tanh()));
            return new DihedralAverage(step).forward(v[0]).mul(weights).sum();
        }, x, kernel);
        assertTrue(r.passed(), r.worst());
    }

    @Test
    void badInput_isNamed() {
        DihedralAverage average = new DihedralAverage(contractiveStep(3));
        String shape = assertThrows(IllegalArgumentException.class,
                () -> average.forward(Tensor.zeros(D, 1, 1, S, S + 1))).getMessage();
        assertTrue(shape.contains("square") && shape.contains("[1, 1, 7, 8]"), shape);
        String rank = assertThrows(IllegalArgumentException.class, () -> average.forward(Tensor.zeros(D, S, S))).getMessage();
        assertTrue(rank.contains("DihedralAverage.forward") && rank.contains("x"), rank);
        String inner = assertThrows(IllegalArgumentException.class, () -> new DihedralAverage(null)).getMessage();
        assertTrue(inner.contains("inner") && inner.contains("null"), inner);
        String g = assertThrows(IllegalArgumentException.class, () -> DihedralAverage.act(8, images(1, 1))).getMessage();
        assertTrue(g.contains("g") && g.contains("8"), g);
    }

    private static double maxDifference(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
