package io.structflow.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.train.Trainer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SparkSweepTest extends WithLocalSpark {

    /** One run of a seed: train the tiny model on its own moons, return the parameters. */
    static double[] train(long seed) throws Exception {
        Dataset data = SparkTests.moons(64, seed);
        Replica r = new TinyProblem(seed, 0.05).build();
        Trainer.builder(r.model(), r.optimizer(), r.loss(), new DataLoader(data, 16, true, seed, false)).epochs(2)
                .build().fit();
        return FlatParameters.values(r.model().parameters());
    }

    @Test
    void run_fourSeeds_returnsTheLocalResultsInOrder() throws Exception {
        List<Long> seeds = List.of(1L, 2L, 3L, 4L);
        List<double[]> spread = SparkSweep.run(sc, seeds, SparkSweepTest::train);
        assertEquals(4, spread.size());
        for (int i = 0; i < seeds.size(); i++) {
            assertArrayEquals(train(seeds.get(i)), spread.get(i), 0.0, "seed " + seeds.get(i));
        }
        assertNotEquals(spread.get(0)[0], spread.get(1)[0]);
    }

    /** A run that reads shared data: the data weighted by the seed's random numbers. */
    static Double weighted(double[] data, Long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double sum = 0;
        for (double x : data) {
            sum += x * rng.nextDouble();
        }
        return sum;
    }

    @Test
    void runWithShared_threeSeedsOverBroadcastData_returnsTheLocalResultsInOrder() {
        double[] data = new SplittableRandom(9).doubles(1000).toArray();
        List<Long> seeds = List.of(5L, 6L, 7L);
        List<Double> spread = SparkSweep.run(sc, data, seeds, SparkSweepTest::weighted);
        assertEquals(3, spread.size());
        for (int i = 0; i < seeds.size(); i++) {
            assertEquals(weighted(data, seeds.get(i)), spread.get(i), 0.0, "seed " + seeds.get(i));
        }
        assertNotEquals(spread.get(0), spread.get(1));
    }
}
