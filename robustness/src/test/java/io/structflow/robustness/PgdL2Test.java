package io.structflow.robustness;

import static io.structflow.robustness.LinearClassifiers.D;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Lambda;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class PgdL2Test {
    /** Enough steps to travel 5ε: from any start the iterate reaches the worst point of the ball. */
    private static final PgdL2.Config STRONG = PgdL2.Config.defaults().withSteps(50).withRelativeStepSize(0.1);

    @Test
    void defaults_areFoolboxsAndThePapers() {
        PgdL2.Config c = PgdL2.Config.defaults();
        assertEquals(10, c.steps());
        assertEquals(0.025, c.relativeStepSize());
        assertEquals(1, c.restarts());
        assertTrue(c.randomStart());
        assertEquals(AttackLoss.CROSS_ENTROPY, c.loss());
        assertFalse(c.clips());
        assertTrue(c.withInputBox(0, 1).clips());
    }

    @Test
    void attack_binaryLinear_flipsJustAboveMinimalNormAndNeverBelow() {
        SplittableRandom rng = new SplittableRandom(11);
        double[][] w = LinearClassifiers.randomMatrix(rng, 2, 5);
        double[] b = {0.3, -0.2};
        Linear model = LinearClassifiers.of(w, b);
        double dw = LinearClassifiers.rowDistance(w, 0, 1);
        for (AttackLoss loss : AttackLoss.values()) {
            PgdL2 pgd = new PgdL2(STRONG.withRandomStart(false).withLoss(loss));
            for (int n = 0; n < 6; n++) {
                double[] x = LinearClassifiers.randomMatrix(rng, 1, 5)[0];
                double[] s = LinearClassifiers.logits(w, b, x);
                int y = LinearClassifiers.argmax(s);
                double margin = Math.abs(s[0] - s[1]);
                double minimalNorm = margin / dw;
                Tensor xt = LinearClassifiers.rows(new double[][] {x});

                PgdL2.Result above = pgd.attack(model, xt, new int[] {y}, 1.02 * minimalNorm);
                assertTrue(above.success()[0], "ε = 1.02·|margin|/‖w₁−w₀‖ must flip sample " + n + " (" + loss + ")");
                assertEquals(margin - 1.02 * minimalNorm * dw, above.margin()[0], 0.01 * 0.02 * margin);

                double eps = 0.98 * minimalNorm;
                PgdL2.Result below = pgd.attack(model, xt, new int[] {y}, eps);
                assertFalse(below.success()[0], "ε = 0.98·|margin|/‖w₁−w₀‖ cannot flip sample " + n);
                double worst = margin - eps * dw;
                assertEquals(worst, below.margin()[0], 0.01 * Math.abs(worst), "worst-case margin at ε");
                assertTrue(below.distance()[0] <= eps * (1 + 1e-12), "perturbation inside the ball");
                assertEquals(eps, below.distance()[0], 1e-9 * eps, "the worst case lies on the sphere");
            }
        }
    }

    @Test
    void attack_binaryLinearFromRandomStarts_reachesClosedFormWorstMargin() {
        SplittableRandom rng = new SplittableRandom(5);
        double[][] w = LinearClassifiers.randomMatrix(rng, 2, 8);
        double[] b = {0.1, 0.4};
        Linear model = LinearClassifiers.of(w, b);
        double[][] x = LinearClassifiers.randomMatrix(rng, 16, 8);
        int[] y = new int[x.length];
        for (int n = 0; n < x.length; n++) {
            y[n] = n % 2;
        }
        double eps = 0.7;
        for (AttackLoss loss : AttackLoss.values()) {
            PgdL2.Result r = new PgdL2(STRONG.withLoss(loss).withRestarts(2).withSeed(3))
                    .attack(model, LinearClassifiers.rows(x), y, eps);
            for (int n = 0; n < x.length; n++) {
                double worst = LinearClassifiers.worstMargin(w, b, x[n], y[n], eps);
                double clean = LinearClassifiers.worstMargin(w, b, x[n], y[n], 0);
                // PGD reaches at least 99% of the largest possible decrease, and never more.
                double decrease = clean - r.margin()[n];
                double best = clean - worst;
                assertTrue(decrease <= best * (1 + 1e-12), "no point of the ball beats the closed form");
                assertTrue(decrease >= 0.99 * best, loss + " sample " + n + ": margin decrease " + decrease
                        + " vs worst case " + best);
                assertEquals(worst < 0 || clean < 0, r.success()[n], "success iff the worst case misclassifies");
                assertTrue(r.distance()[n] <= eps * (1 + 1e-12));
            }
        }
    }

    @Test
    void attack_multiclassLinearWithMarginLoss_matchesClosedFormWorstMargin() {
        SplittableRandom rng = new SplittableRandom(21);
        int classes = 4;
        double[][] w = LinearClassifiers.randomMatrix(rng, classes, 6);
        double[] b = LinearClassifiers.randomMatrix(rng, 1, classes)[0];
        Linear model = LinearClassifiers.of(w, b);
        double[][] x = LinearClassifiers.randomMatrix(rng, 24, 6);
        int[] y = new int[x.length];
        for (int n = 0; n < x.length; n++) {
            y[n] = LinearClassifiers.argmax(LinearClassifiers.logits(w, b, x[n]));
        }
        double eps = 0.5;
        PgdL2.Result r = new PgdL2(STRONG.withLoss(AttackLoss.MARGIN).withRestarts(8).withSeed(9))
                .attack(model, LinearClassifiers.rows(x), y, eps);
        int flipped = 0;
        for (int n = 0; n < x.length; n++) {
            double worst = LinearClassifiers.worstMargin(w, b, x[n], y[n], eps);
            double clean = LinearClassifiers.worstMargin(w, b, x[n], y[n], 0);
            double decrease = clean - r.margin()[n];
            assertTrue(decrease <= (clean - worst) * (1 + 1e-12));
            assertTrue(decrease >= 0.99 * (clean - worst), "sample " + n + ": margin " + r.margin()[n]
                    + " vs closed-form worst " + worst);
            assertEquals(worst < 0, r.success()[n]);
            flipped += worst < 0 ? 1 : 0;
        }
        assertTrue(flipped > 0 && flipped < x.length, "ε should flip some samples but not all: " + flipped);
    }

    @Test
    void attack_leavesParameterGradientsAndGradModeAlone() {
        SplittableRandom rng = new SplittableRandom(2);
        Linear model = new Linear(3, 3, true, D, rng);
        Tensor x = Tensor.randn(D, rng, 5, 3);
        int[] y = {0, 1, 2, 0, 1};
        PgdL2 pgd = new PgdL2(STRONG);

        pgd.attack(model, x, y, 0.5);
        for (Parameter p : model.parameters()) {
            assertNull(p.grad(), p.name() + " must not receive a gradient from the attack");
        }
        Autograd.backward(Losses.crossEntropy(model.forward(x), y));
        INDArray before = model.weight().grad().dup();
        try (GradMode.Scope scope = GradMode.noGrad()) {
            PgdL2.Result r = pgd.attack(model, x, y, 0.5);
            assertFalse(GradMode.isEnabled(), "the caller's no-grad mode is restored");
            assertTrue(r.successRate() >= 0);
        }
        assertTrue(GradMode.isEnabled());
        assertEquals(before, model.weight().grad(), "accumulated gradients are untouched");
    }

    /** conv 3×3 (same) → tanh → linear head, on [batch, 1, 6, 6] images. */
    private static final class TinyConvNet extends Module {
        private final Parameter kernel;
        private final Linear head;

        TinyConvNet(SplittableRandom rng) {
            kernel = register("kernel", Parameter.of("kernel", Tensor.randn(DataType.FLOAT, rng, 2, 1, 3, 3).mul(0.5)));
            head = register("head", new Linear(2 * 6 * 6, 3, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = x.conv2d(kernel, ConvGeometry.same(3)).tanh();
            return head.forward(h.reshape(x.size(0), 2 * 6 * 6));
        }
    }

    @Test
    void attack_imagesInUnitBox_staysInBallAndBoxAndKeepsShape() {
        SplittableRandom rng = new SplittableRandom(4);
        TinyConvNet model = new TinyConvNet(rng);
        Tensor x = Tensor.uniform(DataType.FLOAT, rng, 0, 1, 4, 1, 6, 6);
        int[] y = {0, 1, 2, 1};
        double eps = 1.5;
        PgdL2.Result r = new PgdL2(PgdL2.Config.defaults().withRelativeStepSize(0.25).withInputBox(0, 1)
                .withRestarts(2)).attack(model, x, y, eps);
        assertArrayEquals(x.shape(), r.adversarial().shape());
        assertEquals(DataType.FLOAT, r.adversarial().dtype());
        double[] adv = r.adversarial().toDoubleArray();
        double[] clean = x.toDoubleArray();
        for (double v : adv) {
            assertTrue(v >= 0 && v <= 1, "clipped to [0, 1]: " + v);
        }
        for (int n = 0; n < 4; n++) {
            double s = 0;
            for (int i = n * 36; i < (n + 1) * 36; i++) {
                s += (adv[i] - clean[i]) * (adv[i] - clean[i]);
            }
            assertEquals(Math.sqrt(s), r.distance()[n], 1e-6);
            assertTrue(r.distance()[n] <= eps * (1 + 1e-6), "inside the ball: " + r.distance()[n]);
        }
        double[] logits = model.forward(r.adversarial()).toDoubleArray();
        for (int n = 0; n < 4; n++) {
            double[] row = java.util.Arrays.copyOfRange(logits, 3 * n, 3 * n + 3);
            assertEquals(LinearClassifiers.argmax(row) != y[n], r.success()[n]);
            assertEquals(MarginCertificate.margins(Tensor.of(row, 1, 3), new int[] {y[n]})[0], r.margin()[n], 1e-5);
        }
    }

    @Test
    void attack_zeroRadius_returnsCleanInputsAndCleanErrors() {
        double[][] w = {{1, 0}, {0, 1}};
        Linear model = LinearClassifiers.of(w, new double[] {0, 0});
        Tensor x = LinearClassifiers.rows(new double[][] {{2, 1}, {1, 2}});
        PgdL2.Result r = new PgdL2(STRONG).attack(model, x, new int[] {0, 0}, 0);
        assertArrayEquals(x.toDoubleArray(), r.adversarial().toDoubleArray());
        assertArrayEquals(new boolean[] {false, true}, r.success(), "sample 1 is misclassified clean");
        assertArrayEquals(new double[] {1, -1}, r.margin(), 0);
    }

    @Test
    void attack_badInput_throwsNamingTheArgument() {
        Linear model = LinearClassifiers.of(new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0});
        Tensor x = LinearClassifiers.rows(new double[][] {{0.2, 0.1}, {0.3, 0.9}});
        PgdL2 pgd = new PgdL2(PgdL2.Config.defaults());
        assertMessage("epsilon", () -> pgd.attack(model, x, new int[] {0, 1}, -0.1));
        assertMessage("epsilon", () -> pgd.attack(model, x, new int[] {0, 1}, Double.NaN));
        assertMessage("labels[1]", () -> pgd.attack(model, x, new int[] {0, 2}, 0.1));
        assertMessage("labels", () -> pgd.attack(model, x, new int[] {0}, 0.1));
        assertMessage("inputs", () -> pgd.attack(model, Tensor.of(D, new double[] {1, 2}, 2), new int[] {0, 1}, 0.1));
        assertMessage("x expected shape [*, 2]",
                () -> pgd.attack(model, Tensor.zeros(D, 2, 3), new int[] {0, 1}, 0.1));
        assertMessage("model output", () -> pgd.attack(new Lambda("sum", t -> t.sum(true, 1)), x,
                new int[] {0, 0}, 0.1));
        PgdL2 boxed = new PgdL2(PgdL2.Config.defaults().withInputBox(0, 0.5));
        assertMessage("input box", () -> boxed.attack(model, x, new int[] {0, 1}, 0.1));
        Tensor nan = Tensor.of(D, new double[] {0, Double.NaN, 0, 0}, 2, 2);
        assertThrows(ArithmeticException.class, () -> pgd.attack(model, nan, new int[] {0, 1}, 0.1));
        assertMessage("steps", () -> PgdL2.Config.defaults().withSteps(0));
        assertMessage("relativeStepSize", () -> PgdL2.Config.defaults().withRelativeStepSize(0));
        assertMessage("restarts", () -> PgdL2.Config.defaults().withRestarts(0));
        assertMessage("input box", () -> PgdL2.Config.defaults().withInputBox(1, 0));
    }

    static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message should name " + fragment + ": " + e.getMessage());
    }
}
