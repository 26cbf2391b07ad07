package io.structflow.robustness;

import static io.structflow.robustness.LinearClassifiers.D;
import static io.structflow.robustness.PgdL2Test.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Sequential;
import io.structflow.core.nn.Lambda;
import io.structflow.core.optim.Adam;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class RobustnessEvaluatorTest {
    private static final double[] GRID = {0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2};
    private static final double[][] CENTRES = {{1.6, 0}, {-0.8, 1.4}, {-0.8, -1.4}};

    private static double[][] w;
    private static double[] b;
    private static Linear model;
    private static double lipschitz;
    private static double[][] testX;
    private static int[] testY;

    /** Three Gaussian blobs in the plane, {@code n} per class. */
    private static double[][] blobs(SplittableRandom rng, int n, int[] labels) {
        double[][] x = new double[3 * n][2];
        for (int i = 0; i < x.length; i++) {
            labels[i] = i % 3;
            x[i][0] = CENTRES[i % 3][0] + 0.55 * rng.nextGaussian();
            x[i][1] = CENTRES[i % 3][1] + 0.55 * rng.nextGaussian();
        }
        return x;
    }

    /** A linear classifier trained by Adam on the blobs, then scaled to ‖W‖₂ = 1 (same decisions). */
    @BeforeAll
    static void train() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] trainY = new int[150];
        Tensor trainX = LinearClassifiers.rows(blobs(rng, 50, trainY));
        testY = new int[150];
        testX = blobs(rng, 50, testY);
        Linear net = new Linear(2, 3, true, D, rng);
        Adam adam = new Adam(net, Adam.Config.defaults(0.05));
        for (int step = 0; step < 200; step++) {
            adam.zeroGrad();
            Autograd.backward(Losses.crossEntropy(net.forward(trainX), trainY));
            adam.step();
        }
        double[] wFlat = net.weight().toDoubleArray();
        double[] bFlat = net.bias().toDoubleArray();
        double[][] trained = {{wFlat[0], wFlat[1]}, {wFlat[2], wFlat[3]}, {wFlat[4], wFlat[5]}};
        double norm = LinearClassifiers.spectralNormTwoColumns(trained);
        w = new double[3][2];
        b = new double[3];
        for (int j = 0; j < 3; j++) {
            w[j][0] = trained[j][0] / norm;
            w[j][1] = trained[j][1] / norm;
            b[j] = bFlat[j] / norm;
        }
        model = LinearClassifiers.of(w, b);
        lipschitz = LinearClassifiers.spectralNormTwoColumns(w);
    }

    /** The exact robust accuracy of the linear model: correct with flip radius above ε. */
    private static double exactRobustAccuracy(double eps) {
        int n = 0;
        for (int i = 0; i < testX.length; i++) {
            n += LinearClassifiers.flipRadius(w, b, testX[i], testY[i]) > eps ? 1 : 0;
        }
        return n / (double) testX.length;
    }

    @Test
    void evaluate_normalisedLinearModel_certifiedBelowExactBelowAttack() {
        assertEquals(1, lipschitz, 1e-12);
        PgdL2 pgd = new PgdL2(PgdL2.Config.defaults().withSteps(30).withRelativeStepSize(0.1)
                .withLoss(AttackLoss.MARGIN).withRestarts(3));
        RobustnessReport report = new RobustnessEvaluator(pgd, 32)
                .evaluate(model, LinearClassifiers.rows(testX), testY, GRID, lipschitz);
        double[] robust = report.robustAccuracy();
        double[] certified = report.certifiedAccuracy();
        assertTrue(report.cleanAccuracy() > 0.9, "the blobs are nearly separable: " + report.cleanAccuracy());
        assertEquals(exactRobustAccuracy(0), report.cleanAccuracy(), 1e-12);
        assertEquals(report.cleanAccuracy(), robust[0], 0, "at ε = 0 robust accuracy is clean accuracy");
        for (int k = 0; k < GRID.length; k++) {
            double exact = exactRobustAccuracy(GRID[k]);
            assertTrue(certified[k] <= exact, "certified ≤ exact at ε = " + GRID[k]);
            assertTrue(exact <= robust[k], "the attack cannot beat the exact worst case at ε = " + GRID[k]);
            assertTrue(robust[k] - exact <= 1.0 / testX.length + 1e-12,
                    "PGD is within one sample of exact at ε = " + GRID[k] + ": " + robust[k] + " vs " + exact);
            assertTrue(certified[k] <= robust[k]);
            if (k > 0) {
                assertTrue(robust[k] <= robust[k - 1], "robust accuracy is non-increasing");
                assertTrue(certified[k] <= certified[k - 1], "certified accuracy is non-increasing");
            }
        }
        assertTrue(certified[1] > 0.5, "most samples are certified at ε = 0.05: " + certified[1]);
        assertTrue(robust[GRID.length - 1] < 0.5 * robust[0], "ε = 1.2 breaks most samples");
        assertEquals(RobustnessReport.areaUnderCurve(GRID, robust), report.robustAuc(), 0);
        assertTrue(report.certifiedAuc() <= report.robustAuc());
    }

    @Test
    void evaluate_boundBelowTheTrueLipschitzConstant_isContradictedByTheAttackAndRefused() {
        PgdL2 pgd = new PgdL2(PgdL2.Config.defaults().withSteps(30).withRelativeStepSize(0.1)
                .withLoss(AttackLoss.MARGIN).withRestarts(3));
        // the model is 1-Lipschitz; claiming 0.1 certifies samples the attack can break
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RobustnessEvaluator(pgd, 32)
                .evaluate(model, LinearClassifiers.rows(testX), testY, GRID, 0.1 * lipschitz));
        assertTrue(e.getMessage().contains("certified at ε") && e.getMessage().contains("sample"), e.getMessage());
    }

    @Test
    void evaluate_reportDoesNotDependOnBatchSize() {
        PgdL2 pgd = new PgdL2(PgdL2.Config.defaults().withRandomStart(false).withRelativeStepSize(0.25));
        double[] grid = {0, 0.2, 0.6};
        Tensor x = LinearClassifiers.rows(java.util.Arrays.copyOf(testX, 60));
        int[] y = java.util.Arrays.copyOf(testY, 60);
        RobustnessReport one = new RobustnessEvaluator(pgd, 1).evaluate(model, x, y, grid, lipschitz);
        assertTrue(one.robustAccuracy()[2] < one.robustAccuracy()[1], "ε = 0.6 breaks more samples than ε = 0.2");
        for (int batch : new int[] {7, 1000}) {
            RobustnessReport other = new RobustnessEvaluator(pgd, batch).evaluate(model, x, y, grid, lipschitz);
            assertArrayEquals(one.robustAccuracy(), other.robustAccuracy(), 0, "batch " + batch);
            assertArrayEquals(one.certifiedAccuracy(), other.certifiedAccuracy(), 0);
            assertEquals(one.cleanAccuracy(), other.cleanAccuracy(), 0);
        }
    }

    @Test
    void evaluate_misclassifiedSamplesAreNeverRobust() {
        // The identity classifier on two classes: sample i is correct iff x_y > x_other.
        Linear identity = LinearClassifiers.of(new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0});
        Tensor x = LinearClassifiers.rows(new double[][] {{3, 0}, {0, 3}, {1, 0}, {0, 1}});
        int[] y = {0, 1, 1, 0};
        RobustnessReport r = new RobustnessEvaluator(new PgdL2(PgdL2.Config.defaults()), 2)
                .evaluate(identity, x, y, new double[] {0, 1e-3}, Math.sqrt(1));
        assertEquals(0.5, r.cleanAccuracy());
        assertArrayEquals(new double[] {0.5, 0.5}, r.robustAccuracy(), 0);
        // margins 3 > √2·1e-3·1: both correct samples are certified, the wrong ones never.
        assertArrayEquals(new double[] {0.5, 0.5}, r.certifiedAccuracy(), 0);
    }

    @Test
    void areaUnderCurve_knownCurves_equalHandValues() {
        // A step from 1 to 0 at ε = 1 sampled every 0.5 on [0, 2]: trapezoids 0.5 + 0.25 over a range of 2.
        assertEquals(0.375, RobustnessReport.areaUnderCurve(new double[] {0, 0.5, 1, 1.5, 2},
                new double[] {1, 1, 0, 0, 0}), 1e-15);
        // Uneven grid: (0.1·1.7 + 0.2·1.2 + 0.7·0.4) / 2 / 1.0.
        assertEquals(0.345, RobustnessReport.areaUnderCurve(new double[] {0, 0.1, 0.3, 1.0},
                new double[] {0.9, 0.8, 0.4, 0.0}), 1e-15);
        // Normalised by the range, not by ε_max: a constant curve on [0.5, 2.5] has AUC equal to itself.
        assertEquals(0.7, RobustnessReport.areaUnderCurve(new double[] {0.5, 1, 2.5}, new double[] {0.7, 0.7, 0.7}),
                1e-15);
        assertEquals(0.4, RobustnessReport.areaUnderCurve(new double[] {0.3}, new double[] {0.4}));
        RobustnessReport report = new RobustnessReport(10, 0.9, new double[] {0, 0.5, 1, 1.5, 2},
                new double[] {1, 1, 0, 0, 0}, new double[] {1, 0, 0, 0, 0}, 1, PgdL2.Config.defaults());
        assertEquals(0.375, report.robustAuc(), 1e-15);
        assertEquals(0.125, report.certifiedAuc(), 1e-15);
    }

    @Test
    void toMap_serialisesSnakeCaseForResultsJson() throws Exception {
        // Images [N, 1, 2, 2] in the unit box, classified by a linear head on the flattened pixels.
        SplittableRandom rng = new SplittableRandom(3);
        Linear head = new Linear(4, 3, true, DataType.FLOAT, rng);
        Module net = new Sequential(new Lambda("flatten", t -> t.reshape(t.size(0), 4)), head);
        Tensor images = Tensor.uniform(DataType.FLOAT, rng, 0, 1, 10, 1, 2, 2);
        int[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
        PgdL2.Config config = PgdL2.Config.defaults().withInputBox(0, 1);
        RobustnessReport report = new RobustnessEvaluator(new PgdL2(config), 4)
                .evaluate(net, images, labels, new double[] {0, 0.1, 0.5}, Double.POSITIVE_INFINITY);
        assertArrayEquals(new double[] {report.cleanAccuracy(), 0, 0}, report.certifiedAccuracy(), 0,
                "without a Lipschitz bound only ε = 0 counts");

        ObjectMapper json = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> back = json.readValue(json.writeValueAsString(report.toMap()), Map.class);
        assertEquals(List.of("samples", "clean_accuracy", "epsilons", "robust_accuracy", "certified_accuracy",
                "robust_auc", "certified_auc", "auc_definition", "lipschitz_bound", "attack"),
                List.copyOf(back.keySet()));
        assertEquals(10, back.get("samples"));
        assertEquals(List.of(0.0, 0.1, 0.5), back.get("epsilons"));
        assertEquals(report.robustAuc(), (Double) back.get("robust_auc"), 0);
        assertNull(back.get("lipschitz_bound"));
        @SuppressWarnings("unchecked")
        Map<String, Object> attack = (Map<String, Object>) back.get("attack");
        assertEquals(10, attack.get("steps"));
        assertEquals(0.025, attack.get("relative_step_size"));
        assertEquals("cross_entropy", attack.get("loss"));
        assertEquals(List.of(0.0, 1.0), attack.get("input_box"));
        assertEquals(true, attack.get("random_start"));
    }

    @Test
    void evaluate_badInput_throwsNamingTheArgument() {
        RobustnessEvaluator eval = new RobustnessEvaluator(new PgdL2(PgdL2.Config.defaults()), 8);
        Tensor x = LinearClassifiers.rows(testX);
        assertMessage("epsilons[1]", () -> eval.evaluate(model, x, testY, new double[] {0, -0.1}, 1));
        assertMessage("epsilons[2]", () -> eval.evaluate(model, x, testY, new double[] {0, 0.2, 0.1}, 1));
        assertMessage("epsilons", () -> eval.evaluate(model, x, testY, new double[0], 1));
        assertMessage("lipschitz", () -> eval.evaluate(model, x, testY, GRID, Double.NaN));
        assertMessage("lipschitz", () -> eval.evaluate(model, x, testY, GRID, -1));
        assertMessage("inputs", () -> eval.evaluate(model, Tensor.constant(Nd4j.create(D, 0, 2)), new int[0], GRID, 1));
        assertMessage("labels", () -> eval.evaluate(model, x, new int[] {0, 1}, GRID, 1));
        int[] bad = testY.clone();
        bad[17] = 3;
        assertMessage("labels[17]", () -> eval.evaluate(model, x, bad, GRID, 1));
        assertMessage("inputs", () -> eval.evaluate(model, Tensor.of(D, new double[] {1, 2}, 2), new int[] {0, 1},
                GRID, 1));
        assertMessage("x expected shape [*, 2]", () -> eval.evaluate(model, Tensor.zeros(D, 4, 3),
                new int[] {0, 1, 2, 0}, GRID, 1));
        assertMessage("batchSize", () -> new RobustnessEvaluator(new PgdL2(PgdL2.Config.defaults()), 0));
        assertMessage("cleanAccuracy", () -> new RobustnessReport(1, 1.5, new double[] {0}, new double[] {1},
                new double[] {1}, 1, PgdL2.Config.defaults()));
        assertMessage("robustAccuracy", () -> new RobustnessReport(1, 1, new double[] {0, 1}, new double[] {1},
                new double[] {1, 1}, 1, PgdL2.Config.defaults()));
    }
}
