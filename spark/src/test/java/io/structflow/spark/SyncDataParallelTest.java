package io.structflow.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.nn.Parameter;
import io.structflow.core.train.Trainer;
import org.junit.jupiter.api.Test;

class SyncDataParallelTest extends WithLocalSpark {
    private static final TinyProblem PROBLEM = new TinyProblem(7, 0.05);

    /** 20 steps of batch 32 on one JVM with the core Trainer: the reference. */
    private static double[] singleMachine(Dataset data, int steps) throws Exception {
        Replica r = PROBLEM.build();
        DataLoader loader = new DataLoader(data, 32, true, 11, false);
        Trainer.builder(r.model(), r.optimizer(), r.loss(), loader).epochs(steps / loader.batchesPerEpoch()).build().fit();
        return FlatParameters.values(r.model().parameters());
    }

    @Test
    void fit_onOneAndOnThreePartitions_equalsSingleMachineTrainingTo1e10() throws Exception {
        Dataset data = SparkTests.moons(160, 3); // 5 batches of 32 per epoch, 4 epochs = 20 steps
        double[] reference = singleMachine(data, 20);
        for (int partitions : new int[] {1, 3}) {
            try (SyncDataParallel dp = new SyncDataParallel(sc, PROBLEM, data,
                    new SyncDataParallel.Settings(partitions, 32, 4, 11, null, null))) {
                dp.fit();
                double[] theta = FlatParameters.values(dp.driver().model().parameters());
                double worst = 0;
                for (int i = 0; i < theta.length; i++) {
                    worst = Math.max(worst, Math.abs(theta[i] - reference[i]));
                }
                assertTrue(worst < 1e-10, partitions + " partition(s): largest difference " + worst);
                assertTrue(maxDistanceFrom(reference, PROBLEM.build()) > 1e-2, "training moved the parameters");
                for (Parameter p : dp.driver().model().parameters()) {
                    assertTrue(p.insideConstraints(), p.name() + " left its constraint set");
                }
            }
        }
    }

    private static double maxDistanceFrom(double[] theta, Replica fresh) {
        double[] start = FlatParameters.values(fresh.model().parameters());
        double worst = 0;
        for (int i = 0; i < theta.length; i++) {
            worst = Math.max(worst, Math.abs(theta[i] - start[i]));
        }
        return worst;
    }
}
