package io.structflow.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.DataLoader;
import io.structflow.core.train.Trainer;
import io.structflow.robustness.PgdL2;
import io.structflow.robustness.RobustnessEvaluator;
import io.structflow.robustness.RobustnessReport;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DistributedEvaluationTest extends WithLocalSpark {
    private static final TinyProblem PROBLEM = new TinyProblem(3, 0.05);
    private static final double[] EPSILONS = {0, 0.05, 0.1, 0.2};
    private static Dataset test;
    private static double[] trained;

    @BeforeAll
    static void train() throws Exception {
        Dataset train = SparkTests.moons(200, 8);
        test = SparkTests.moons(150, 9);
        Replica r = PROBLEM.build();
        Trainer.builder(r.model(), r.optimizer(), r.loss(), new DataLoader(train, 20, true, 1, false)).epochs(8)
                .build().fit();
        trained = FlatParameters.values(r.model().parameters());
    }

    private static DistributedEvaluation.Job job(boolean randomStart) {
        PgdL2.Config attack = PgdL2.Config.defaults().withSteps(5).withSeed(42);
        if (!randomStart) {
            attack = new PgdL2.Config(attack.steps(), attack.relativeStepSize(), attack.restarts(), false,
                    attack.loss(), attack.clipMin(), attack.clipMax(), attack.seed());
        }
        // Lipschitz bound of the tiny model: ‖head‖·‖square‖(=1)·‖lift‖, tanh 1-Lipschitz; a loose constant suffices
        return new DistributedEvaluation.Job(PROBLEM, trained, attack, 16, EPSILONS, 10.0);
    }

    @Test
    void evaluate_onThreePartitions_equalsTheSameChunksOnOneMachine() {
        RobustnessReport local = DistributedEvaluation.evaluateLocally(job(true), test);
        RobustnessReport spread = DistributedEvaluation.evaluate(sc, job(true), test, 3);
        assertEquals(150, spread.samples());
        assertEquals(local.cleanAccuracy(), spread.cleanAccuracy(), 0.0);
        assertArrayEquals(local.robustAccuracy(), spread.robustAccuracy(), 0.0);
        assertArrayEquals(local.certifiedAccuracy(), spread.certifiedAccuracy(), 0.0);
        assertTrue(spread.cleanAccuracy() > 0.8, "the trained model classifies the moons: " + spread.cleanAccuracy());
        assertTrue(spread.robustAccuracy()[3] < spread.cleanAccuracy(), "the attack breaks some images at ε = 0.2: "
                + Arrays.toString(spread.robustAccuracy()));
    }

    @Test
    void evaluate_withoutRandomStart_equalsTheWholeSetEvaluator() {
        DistributedEvaluation.Job job = job(false);
        Replica r = PROBLEM.build();
        FlatParameters.setValues(r.model().parameters(), trained);
        int[] all = new int[test.size()];
        Arrays.setAll(all, i -> i);
        Tensor x = test.batch(all).x();
        RobustnessReport whole = new RobustnessEvaluator(new PgdL2(job.attack()), 16)
                .evaluate(r.model(), x, test.labels(), EPSILONS, job.lipschitz());
        RobustnessReport spread = DistributedEvaluation.evaluate(sc, job, test, 2);
        assertEquals(whole.cleanAccuracy(), spread.cleanAccuracy(), 0.0);
        assertArrayEquals(whole.certifiedAccuracy(), spread.certifiedAccuracy(), 0.0);
        assertArrayEquals(whole.robustAccuracy(), spread.robustAccuracy(), 0.0);
    }
}
