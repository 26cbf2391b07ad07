package io.structflow.robustness;

import static io.structflow.robustness.PgdL2Test.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Linear;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairwiseLipschitzTest {
    private static final double[] GRID = {0, 0.05, 0.1, 0.2, 0.4, 0.8};

    /** A random 4-class linear classifier on ℝ³ and its exact pairwise constants ‖w_i − w_j‖. */
    private record Case(double[][] w, double[] b, double[][] exact, double[][] x, int[] y) {
        static Case random(long seed, int samples) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[][] w = LinearClassifiers.randomMatrix(rng, 4, 3);
            double[] b = {0.3, -0.2, 0.1, 0};
            double[][] k = new double[4][4];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    k[i][j] = LinearClassifiers.rowDistance(w, i, j);
                }
            }
            double[][] x = LinearClassifiers.randomMatrix(rng, samples, 3);
            int[] y = new int[samples];
            for (int n = 0; n < samples; n++) {
                // labels: the model's own prediction for most samples, a random class for every fifth
                y[n] = n % 5 == 0 ? rng.nextInt(4) : LinearClassifiers.argmax(LinearClassifiers.logits(w, b, x[n]));
            }
            return new Case(w, b, k, x, y);
        }

        double[] logits() {
            double[] s = new double[x.length * 4];
            for (int n = 0; n < x.length; n++) {
                System.arraycopy(LinearClassifiers.logits(w, b, x[n]), 0, s, 4 * n, 4);
            }
            return s;
        }
    }

    @Test
    void exactConstants_certifyExactlyTheSamplesWhoseFlipRadiusExceedsEpsilon() {
        Case c = Case.random(3, 300);
        PairwiseLipschitz k = PairwiseLipschitz.of(c.exact(), Double.POSITIVE_INFINITY);
        double[] s = c.logits();
        int certified = 0;
        for (int n = 0; n < c.x().length; n++) {
            double flip = c.y()[n] == LinearClassifiers.argmax(LinearClassifiers.logits(c.w(), c.b(), c.x()[n]))
                    ? LinearClassifiers.flipRadius(c.w(), c.b(), c.x()[n], c.y()[n]) : 0;
            for (double eps : GRID) {
                boolean cert = k.isCertified(s, n, 4, c.y()[n], eps);
                if (cert) {
                    certified++;
                    assertTrue(LinearClassifiers.worstMargin(c.w(), c.b(), c.x()[n], c.y()[n], eps) > 0,
                            "sample " + n + " certified at " + eps + " keeps its label over the ball");
                } else {
                    assertTrue(flip <= eps * (1 + 1e-9) || flip == 0, "sample " + n + " (flip radius " + flip
                            + ") is certified at " + eps + ": linear models are certified exactly");
                }
            }
        }
        assertTrue(certified > 300, "a fair share is certified: " + certified);
    }

    @Test
    void pairwiseConstants_certifyAtLeastTheUniformOnes_andUniformIsTheMarginTest() {
        Case c = Case.random(5, 300);
        double spectral = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                spectral = Math.max(spectral, c.exact()[i][j] / Math.sqrt(2));
            }
        }
        // any L with √2·L ≥ every ‖w_i − w_j‖ is a valid uniform bound for the differences; take the smallest
        PairwiseLipschitz uniform = PairwiseLipschitz.uniform(spectral);
        PairwiseLipschitz pairwise = PairwiseLipschitz.of(c.exact(), spectral);
        double[] s = c.logits();
        double[] margins = MarginCertificate.margins(Tensor.of(LinearClassifiers.D, s, c.x().length, 4), c.y());
        int gained = 0;
        for (int n = 0; n < c.x().length; n++) {
            for (double eps : GRID) {
                boolean u = uniform.isCertified(s, n, 4, c.y()[n], eps);
                boolean p = pairwise.isCertified(s, n, 4, c.y()[n], eps);
                assertEquals(MarginCertificate.isCertified(margins[n], eps, spectral), u, "sample " + n + " at " + eps);
                assertTrue(p || !u, "pairwise certifies whatever uniform does: sample " + n + " at " + eps);
                gained += p && !u ? 1 : 0;
            }
        }
        assertTrue(gained > 10, "the pairwise constants certify more: " + gained);
        assertEquals(spectral * Math.sqrt(2), pairwise.largest(4), 1e-12);
    }

    @Test
    void evaluator_neverSeesAnAttackBeatAPairwiseCertificate_andRefusesConstantsTooSmall() {
        Case c = Case.random(7, 120);
        Linear model = LinearClassifiers.of(c.w(), c.b());
        PgdL2 pgd = new PgdL2(PgdL2.Config.defaults().withSteps(30).withRelativeStepSize(0.1)
                .withLoss(AttackLoss.MARGIN).withRestarts(3));
        RobustnessEvaluator evaluator = new RobustnessEvaluator(pgd, 32);
        Tensor x = LinearClassifiers.rows(c.x());
        RobustnessReport report = evaluator.evaluate(model, x, c.y(), GRID, PairwiseLipschitz.of(c.exact(), 5));
        for (int k = 0; k < GRID.length; k++) {
            assertTrue(report.certifiedAccuracy()[k] <= report.robustAccuracy()[k], "at " + GRID[k]);
        }
        assertTrue(report.certifiedAccuracy()[2] > 0.3, "certified at 0.1: " + report.certifiedAccuracy()[2]);
        assertEquals(5, report.lipschitzBound());
        double[][] half = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                half[i][j] = 0.5 * c.exact()[i][j];
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> evaluator.evaluate(model, x, c.y(), GRID, PairwiseLipschitz.of(half, 5)));
        assertTrue(e.getMessage().contains("certified at ε"), e.getMessage());
    }

    @Test
    void badInput_throwsNamingTheArgument() {
        assertMessage("constants[1]", () -> PairwiseLipschitz.of(new double[][] {{0, 1}, {1}}, 1));
        assertMessage("constants[0][1]", () -> PairwiseLipschitz.of(new double[][] {{0, -1}, {1, 0}}, 1));
        assertMessage("constants[1][0]", () -> PairwiseLipschitz.of(new double[][] {{0, 1}, {Double.NaN, 0}}, 1));
        assertMessage("constants", () -> PairwiseLipschitz.of(new double[][] {{0}}, 1));
        assertMessage("lipschitz", () -> PairwiseLipschitz.uniform(-1));
        assertMessage("epsilon", () -> PairwiseLipschitz.uniform(1).isCertified(new double[] {1, 0}, 0, 2, 0, -0.1));
        Case c = Case.random(9, 8);
        RobustnessEvaluator evaluator = new RobustnessEvaluator(new PgdL2(PgdL2.Config.defaults()), 4);
        double[][] three = {{0, 1, 1}, {1, 0, 1}, {1, 1, 0}};
        assertMessage("pairwise constants", () -> evaluator.evaluate(LinearClassifiers.of(c.w(), c.b()),
                LinearClassifiers.rows(c.x()), c.y(), GRID, PairwiseLipschitz.of(three, 1)));
    }
}
