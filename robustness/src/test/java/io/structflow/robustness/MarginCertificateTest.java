package io.structflow.robustness;

import static io.structflow.robustness.LinearClassifiers.D;
import static io.structflow.robustness.PgdL2Test.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Linear;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MarginCertificateTest {
    @Test
    void margins_areTrueScoreMinusRunnerUp() {
        Tensor logits = Tensor.of(D, new double[] {3, 1, 2, 0, 5, 1, 2, 2, 0}, 3, 3);
        assertArrayEquals(new double[] {1, -5, 0}, MarginCertificate.margins(logits, new int[] {0, 0, 1}), 0);
    }

    @Test
    void isCertified_isMarginAboveRootTwoEpsilonLipschitz() {
        double margin = Math.sqrt(2) * 0.3 * 2.0;
        assertFalse(MarginCertificate.isCertified(margin, 0.3, 2.0), "equality is not enough");
        assertTrue(MarginCertificate.isCertified(margin * (1 + 1e-12), 0.3, 2.0));
        assertTrue(MarginCertificate.isCertified(margin, 0.2999, 2.0));
        assertFalse(MarginCertificate.isCertified(0, 0, 1), "a tie is never certified");
        assertTrue(MarginCertificate.isCertified(1e-9, 0, Double.POSITIVE_INFINITY), "ε = 0 needs only M > 0");
        assertFalse(MarginCertificate.isCertified(1e9, 1e-9, Double.POSITIVE_INFINITY), "no bound: nothing at ε > 0");
        assertEquals(margin / (Math.sqrt(2) * 2.0), MarginCertificate.radius(margin, 2.0), 1e-15);
        assertEquals(0, MarginCertificate.radius(-1, 2.0));
        assertEquals(Double.POSITIVE_INFINITY, MarginCertificate.radius(0.1, 0));
    }

    @Test
    void certifiedAccuracy_countsMarginsAboveThreshold() {
        double[] margins = {-1, 0, 0.1, 0.5, 2};
        double r2 = Math.sqrt(2);
        // L = 1/√2 makes the threshold ε itself.
        double[] acc = MarginCertificate.certifiedAccuracy(margins, new double[] {0, 0.05, 0.2, 0.4, 1, 3}, 1 / r2);
        assertArrayEquals(new double[] {0.6, 0.6, 0.4, 0.4, 0.2, 0}, acc, 1e-15);
    }

    @Test
    void certifiedSamples_surviveEveryPerturbationOfTheBall() {
        // On a linear model with L = ‖W‖₂, no point of the certified ball changes the class:
        // the closed-form worst margin over the ball stays positive.
        SplittableRandom rng = new SplittableRandom(8);
        double[][] w = LinearClassifiers.randomMatrix(rng, 3, 2);
        double[] b = {0.2, -0.1, 0};
        Linear model = LinearClassifiers.of(w, b);
        double lip = LinearClassifiers.spectralNormTwoColumns(w);
        double[][] x = LinearClassifiers.randomMatrix(rng, 200, 2);
        int[] y = new int[x.length];
        for (int n = 0; n < x.length; n++) {
            y[n] = rng.nextInt(3);
        }
        double[] margins = MarginCertificate.margins(model.forward(LinearClassifiers.rows(x)), y);
        int certified = 0;
        for (int n = 0; n < x.length; n++) {
            double radius = MarginCertificate.radius(margins[n], lip);
            if (radius > 0) {
                certified++;
                assertTrue(LinearClassifiers.worstMargin(w, b, x[n], y[n], radius * (1 - 1e-9)) > 0,
                        "sample " + n + " certified at " + radius);
                assertTrue(radius <= LinearClassifiers.flipRadius(w, b, x[n], y[n]) * (1 + 1e-12));
            }
        }
        assertTrue(certified > 30, "a fair share of the samples is certified: " + certified);
    }

    @Test
    void badInput_throwsNamingTheArgument() {
        assertMessage("epsilon", () -> MarginCertificate.isCertified(1, -0.1, 1));
        assertMessage("lipschitz", () -> MarginCertificate.isCertified(1, 0.1, Double.NaN));
        assertMessage("lipschitz", () -> MarginCertificate.radius(1, -1));
        assertMessage("margins", () -> MarginCertificate.certifiedAccuracy(new double[0], new double[] {0}, 1));
        assertMessage("epsilons[1]", () -> MarginCertificate.certifiedAccuracy(new double[] {1}, new double[] {0, -1}, 1));
        assertMessage("labels[0]", () -> MarginCertificate.margins(Tensor.zeros(D, 1, 2), new int[] {2}));
        assertMessage("logits", () -> MarginCertificate.margins(Tensor.zeros(D, 2, 2), new int[] {0}));
        assertThrows(ArithmeticException.class,
                () -> MarginCertificate.margins(Tensor.of(D, new double[] {0, Double.NaN}, 1, 2), new int[] {0}));
    }
}
