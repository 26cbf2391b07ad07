package io.structflow.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.data.Dataset;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Parameter;
import org.junit.jupiter.api.Test;

class LocalSgdTest extends WithLocalSpark {
    private static final TinyProblem PROBLEM = new TinyProblem(5, 0.05);

    @Test
    void round_averageOfOrthogonalReplicasIsNotOrthogonal_projectionRestoresEveryConstraint() {
        Dataset data = SparkTests.moons(200, 1);
        try (LocalSgd sgd = new LocalSgd(sc, PROBLEM, data, 2, 4, 16, 3)) {
            for (int r = 0; r < 3; r++) {
                LocalSgd.Round round = sgd.round();
                assertTrue(round.violationAveraged() > 1e-4,
                        "round " + r + ": the average should leave the orthogonal matrices, residual "
                                + round.violationAveraged());
                assertEquals(0.0, round.violationProjected(), "round " + r);
                for (Parameter p : sgd.driver().model().parameters()) {
                    assertTrue(p.insideConstraints(), p.name() + " after round " + r);
                }
            }
        }
    }

    @Test
    void rounds_onOnePartition_equalPlainStepsThroughTheSameBatches() {
        Dataset data = SparkTests.moons(120, 2);
        int k = 4;
        int b = 16;
        Replica reference = PROBLEM.build();
        ExampleShard all = ExampleShard.of(data, 0, 0, data.size());
        try (LocalSgd sgd = new LocalSgd(sc, PROBLEM, data, 1, k, b, 9)) {
            for (int r = 0; r < 3; r++) {
                sgd.round();
                for (int s = 0; s < k; s++) {
                    reference.model().zeroGrad();
                    Autograd.backward(reference.loss().loss(reference.model(), all.batch(all.localBatch(9, r, s, b))));
                    reference.optimizer().step();
                }
            }
            assertArrayEquals(FlatParameters.values(reference.model().parameters()),
                    FlatParameters.values(sgd.driver().model().parameters()), 0.0);
        }
    }

    @Test
    void rounds_onTwoPartitions_learnTheMoons() {
        Dataset data = SparkTests.moons(400, 4);
        try (LocalSgd sgd = new LocalSgd(sc, PROBLEM, data, 2, 8, 16, 1)) {
            for (int r = 0; r < 30; r++) {
                sgd.round();
            }
            ExampleShard all = ExampleShard.of(data, 0, 0, data.size());
            int[] idx = new int[data.size()];
            java.util.Arrays.setAll(idx, i -> i);
            double accuracy;
            try (GradMode.Scope s = GradMode.noGrad()) {
                accuracy = Losses.accuracy(sgd.driver().model().forward(all.batch(idx).x()), data.labels());
            }
            assertTrue(accuracy > 0.95, "training accuracy " + accuracy);
        }
    }
}
