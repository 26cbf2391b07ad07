package io.structflow.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.GradCheck;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Loss values against plain-Java arithmetic, gradients against finite differences (float64). */
class LossesTest {
    private static final DataType D = DataType.DOUBLE;
    private static final double[][] LOGITS = {{1.0, 2.0, 3.0}, {0.5, -1.0, 2.0}};
    private static final int[] LABELS = {2, 0};

    private static Tensor logits() {
        return Tensor.of(D, new double[] {1.0, 2.0, 3.0, 0.5, -1.0, 2.0}, 2, 3);
    }

    @Test
    void mse_equalsMeanOfSquaredDifferences() {
        Tensor pred = Tensor.of(D, new double[] {1, 2, 3, 4}, 2, 2);
        Tensor target = Tensor.of(D, new double[] {0, 2, 5, 3.5}, 2, 2);
        assertEquals((1 + 0 + 4 + 0.25) / 4, Losses.mse(pred, target).item(), 1e-15);
    }

    @Test
    void crossEntropy_equalsLogSumExpMinusTrueScore() {
        double expected = 0;
        for (int b = 0; b < 2; b++) {
            double z = 0;
            for (double s : LOGITS[b]) {
                z += Math.exp(s);
            }
            expected += Math.log(z) - LOGITS[b][LABELS[b]];
        }
        assertEquals(expected / 2, Losses.crossEntropy(logits(), LABELS).item(), 1e-14);
    }

    @Test
    void crossEntropy_largeLogits_staysFinite() {
        Tensor big = Tensor.of(D, new double[] {1000, 0, -1000, 1000}, 2, 2);
        double loss = Losses.crossEntropy(big, new int[] {0, 0}).item();
        // row 0: log(1 + e^−1000) ≈ 0; row 1: 2000 + log(1 + e^−2000) ≈ 2000
        assertEquals(1000, loss, 1e-9);
    }

    @Test
    void multiClassHinge_equalsMultiMarginDefinition() {
        double margin = 1.2;
        double expected = 0;
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 3; j++) {
                if (j != LABELS[b]) {
                    expected += Math.max(0, margin - LOGITS[b][LABELS[b]] + LOGITS[b][j]) / 3;
                }
            }
        }
        expected /= 2;
        assertEquals(2.9 / 6, expected, 1e-15, "hand value: row 0 gives 0.2/3, row 1 gives 2.7/3");
        assertEquals(expected, Losses.multiClassHinge(logits(), LABELS, margin).item(), 1e-15);
        // zero exactly when every wrong score is at least margin below the true one
        Tensor separated = Tensor.of(D, new double[] {0, 0.5, 2, 3, 1, 0}, 2, 3);
        assertEquals(0.0, Losses.multiClassHinge(separated, new int[] {2, 0}, 1.5).item(), 0.0);
    }

    @Test
    void accuracy_countsArgmaxHits() {
        assertEquals(0.5, Losses.accuracy(logits(), new int[] {2, 1}), 0.0);
        assertEquals(1.0, Losses.accuracy(logits(), new int[] {2, 2}), 0.0);
        assertEquals(1.0, Losses.accuracy(Tensor.of(D, new double[] {0.1, 0.9}, 1, 2), new int[] {1}), 0.0);
    }

    @Test
    void gradients_passGradCheck() {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor z = Tensor.randn(D, rng, 5, 4);
        Tensor target = Tensor.randn(D, rng, 5, 4);
        int[] labels = {0, 3, 1, 1, 2};
        GradCheck.Result ce = GradCheck.check(x -> Losses.crossEntropy(x[0], labels), z);
        assertTrue(ce.passed(), "cross-entropy: " + ce.worst());
        GradCheck.Result hinge = GradCheck.check(x -> Losses.multiClassHinge(x[0], labels, 0.3), z);
        assertTrue(hinge.passed(), "hinge: " + hinge.worst());
        GradCheck.Result mse = GradCheck.check(x -> Losses.mse(x[0], x[1]), z, target);
        assertTrue(mse.passed(), "mse: " + mse.worst());
        GradCheck.Result ce2 = GradCheck.checkSecondOrder(x -> Losses.crossEntropy(x[0], labels), 5, z);
        assertTrue(ce2.passed(), "cross-entropy second order: " + ce2.worst());
    }

    @Test
    void hingeGradient_isMinusCountOverBCForTrueScore() {
        // d/ds_{b,y} = −(#active j)/(B·C), d/ds_{b,j} = 1/(B·C) for an active j ≠ y
        Tensor z = Tensor.variable(logits().value());
        Tensor loss = Losses.multiClassHinge(z, LABELS, 1.2);
        double[] g = io.structflow.core.autodiff.Autograd.grad(loss, false, z)[0].toDoubleArray();
        double u = 1.0 / 6;
        double[] expected = {0, u, -u, -u, 0, u};
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], g[i], 1e-15, "entry " + i);
        }
    }

    @Test
    void badInputs_areRejectedWithClearMessages() {
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits(), new int[] {2, 3}));
        assertTrue(range.getMessage().contains("labels[1] expected in [0, 3) but got 3"), range.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Losses.multiClassHinge(logits(), new int[] {-1, 0}, 1));
        assertTrue(negative.getMessage().contains("labels[0]"), negative.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits(), new int[] {1, 1, 1}));
        assertTrue(count.getMessage().contains("[3, classes]") && count.getMessage().contains("[2, 3]"), count.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Losses.mse(logits(), Tensor.zeros(D, 3, 2)));
        assertTrue(shape.getMessage().contains("[2, 3]") && shape.getMessage().contains("[3, 2]"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.multiClassHinge(logits(), LABELS, -0.1));
        assertThrows(IllegalArgumentException.class, () -> Losses.accuracy(logits(), null));
    }
    @Test
    void lipschitzMarginCrossEntropy_equalsTheOffsetSoftmaxFormula() {
        double t = 0.25;
        double[][] o = {{0, 0.4, 0.1}, {0.4, 0, 0.7}, {0.1, 0.7, 0}};
        Tensor offsets = Tensor.of(DataType.DOUBLE, new double[] {0, 0.4, 0.1, 0.4, 0, 0.7, 0.1, 0.7, 0}, 3, 3);
        double expected = 0;
        for (int b = 0; b < 2; b++) {
            double[] z = LOGITS[b].clone();
            for (int j = 0; j < z.length; j++) {
                z[j] += o[LABELS[b]][j];
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v / t);
            }
            expected += t * (Math.log(sum) - z[LABELS[b]] / t);
        }
        assertEquals(expected / 2, Losses.lipschitzMarginCrossEntropy(logits(), LABELS, offsets, t).item(), 1e-12);
        assertEquals(Losses.crossEntropy(logits(), LABELS).item(), Losses.lipschitzMarginCrossEntropy(logits(), LABELS,
                Losses.uniformMarginOffsets(3, 0, DataType.DOUBLE), 1).item(), 1e-12);
    }

    @Test
    void lipschitzMarginCrossEntropy_uniformOffsets_lowerTheTrueScore() {
        // softmax is shift-invariant: raising every other score by m is lowering the true score by m
        double m = 0.4;
        double t = 0.5;
        double expected = 0;
        for (int b = 0; b < 2; b++) {
            double[] z = LOGITS[b].clone();
            z[LABELS[b]] -= m;
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v / t);
            }
            expected += t * (Math.log(sum) - z[LABELS[b]] / t);
        }
        assertEquals(expected / 2, Losses.lipschitzMarginCrossEntropy(logits(), LABELS,
                Losses.uniformMarginOffsets(3, m, DataType.DOUBLE), t).item(), 1e-12);
    }

    @Test
    void lipschitzMarginCrossEntropy_gradient_matchesFiniteDifferences() {
        Tensor offsets = Tensor.of(DataType.DOUBLE, new double[] {0, 0.4, 0.1, 0.4, 0, 0.7, 0.1, 0.7, 0}, 3, 3);
        GradCheck.Result r = GradCheck.check(
                x -> Losses.lipschitzMarginCrossEntropy(x[0], LABELS, x[1], 0.5), logits(), offsets);
        assertTrue(r.passed(), r.worst());
    }

    @Test
    void lipschitzMarginCrossEntropy_badOffsetsOrTemperature_isNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.lipschitzMarginCrossEntropy(logits(), LABELS, Losses.uniformMarginOffsets(2, 1,
                        DataType.DOUBLE), 1));
        assertTrue(e.getMessage().contains("offsets expected [3, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.uniformMarginOffsets(3, -1, DataType.DOUBLE));
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.lipschitzMarginCrossEntropy(logits(), LABELS,
                Losses.uniformMarginOffsets(3, 0, DataType.DOUBLE), 0));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
    }
}
