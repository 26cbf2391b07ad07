package io.structflow.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Dataset validation, batch gathering, per-epoch reproducible shuffling and the planar sets. */
class DataLoaderTest {
    /** Ten examples of shape [2, 2] whose entries encode the example index (x = 10·i + k). */
    private static Dataset indexed() {
        double[] v = new double[40];
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k < 4; k++) {
                v[4 * i + k] = 10 * i + k;
            }
        }
        int[] labels = new int[10];
        Arrays.setAll(labels, i -> i % 3);
        return Dataset.classification("indexed", Nd4j.create(v, new long[] {10, 2, 2}, 'c'), labels);
    }

    @Test
    void batch_gathersRowsOfAnyRankInOrder() {
        Batch b = indexed().batch(new int[] {7, 2});
        assertArrayEquals(new long[] {2, 2, 2}, b.x().shape());
        assertArrayEquals(new double[] {70, 71, 72, 73, 20, 21, 22, 23}, b.x().toDoubleArray());
        assertArrayEquals(new int[] {1, 2}, b.labels());
        INDArray targets = Nd4j.create(new double[] {0, 1, 2, 3, 4, 5}, new long[] {3, 2}, 'c');
        Dataset reg = Dataset.regression("reg", Nd4j.create(new double[] {9, 8, 7}, new long[] {3, 1}, 'c'), targets);
        Batch r = reg.batch(new int[] {2, 0});
        assertArrayEquals(new double[] {4, 5, 0, 1}, r.y().toDoubleArray());
        assertEquals(null, r.labels());
    }

    @Test
    void dataset_emptyOrMismatched_isRejectedNamingIt() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("nothing", Nd4j.zeros(DataType.FLOAT, 0, 2), new int[0]));
        assertTrue(empty.getMessage().contains("\"nothing\"") && empty.getMessage().contains("at least one example"),
                empty.getMessage());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("short", Nd4j.zeros(DataType.FLOAT, 4, 2), new int[3]));
        assertTrue(mismatch.getMessage().contains("\"short\"") && mismatch.getMessage().contains("expected 4")
                && mismatch.getMessage().contains("got 3"), mismatch.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("neg", Nd4j.zeros(DataType.FLOAT, 2, 2), new int[] {0, -4}));
        assertTrue(negative.getMessage().contains("labels[1]"), negative.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.regression("reg", Nd4j.zeros(DataType.FLOAT, 4, 2), Nd4j.zeros(DataType.FLOAT, 5, 1)));
        assertThrows(IllegalArgumentException.class, () -> indexed().subset("none", new int[0]));
        assertThrows(IllegalArgumentException.class, () -> indexed().batch(new int[] {10}));
    }

    @Test
    void order_dependsOnlyOnSeedAndEpoch() {
        DataLoader a = DataLoader.shuffled(indexed(), 3, 42);
        DataLoader b = DataLoader.shuffled(indexed(), 3, 42);
        // read epoch 3 first on b: the order of an epoch must not depend on what was read before
        int[] b3 = b.order(3);
        assertArrayEquals(a.order(0), b.order(0));
        assertArrayEquals(a.order(3), b3);
        assertFalse(Arrays.equals(a.order(0), a.order(1)), "epochs are reshuffled");
        assertFalse(Arrays.equals(a.order(0), DataLoader.shuffled(indexed(), 3, 43).order(0)), "seed matters");
        int[] sorted = a.order(5).clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted, "a permutation");
        assertArrayEquals(a.batch(2, 1).x().toDoubleArray(), b.batch(2, 1).x().toDoubleArray());
    }

    @Test
    void batches_coverEpochOnce_andDropLastDropsTheShortBatch() {
        DataLoader keep = new DataLoader(indexed(), 4, true, 1, false);
        DataLoader drop = new DataLoader(indexed(), 4, true, 1, true);
        assertEquals(3, keep.batchesPerEpoch());
        assertEquals(2, drop.batchesPerEpoch());
        Set<Integer> seen = new HashSet<>();
        int sizes = 0;
        for (Batch b : keep.epoch(0)) {
            double[] x = b.x().toDoubleArray();
            for (int i = 0; i < b.size(); i++) {
                assertTrue(seen.add((int) (x[4 * i] / 10)));
            }
            sizes += b.size();
        }
        assertEquals(10, sizes);
        assertEquals(2, keep.batch(0, 2).size());
        assertEquals(4, drop.batch(0, 1).size());
        assertThrows(IllegalArgumentException.class, () -> drop.batch(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(indexed(), 11, true, 1, true));
    }

    @Test
    void split_isDisjointAndComplete() {
        Dataset[] parts = indexed().split(0.7, 5);
        assertEquals(7, parts[0].size());
        assertEquals(3, parts[1].size());
        Set<Double> firsts = new HashSet<>();
        for (Dataset d : parts) {
            for (int i = 0; i < d.size(); i++) {
                assertTrue(firsts.add(d.features().getDouble(i, 0, 0)));
            }
        }
        assertEquals(10, firsts.size());
        assertThrows(IllegalArgumentException.class, () -> indexed().split(0.01, 5));
    }

    @Test
    void disc_labelsByRadiusAndHalvesTheArea() {
        Dataset d = PlanarData.disc(2000, 0, 0, 1, DataType.DOUBLE);
        double[] xy = d.features().dup('c').data().asDouble();
        int[] labels = d.labels();
        int inside = 0;
        for (int i = 0; i < labels.length; i++) {
            double r = Math.hypot(xy[2 * i], xy[2 * i + 1]);
            assertTrue(r <= 1.0);
            assertEquals(r < PlanarData.DISC_RADIUS ? 1 : 0, labels[i], "point " + i + " at radius " + r);
            inside += labels[i];
        }
        // the base-2 coordinate is a van der Corput sequence: exactly balanced over a power of two
        assertEquals(1000, inside, 2);
        assertEquals(0.5, PlanarData.radicalInverse(1, 2), 0.0);
        assertEquals(0.25, PlanarData.radicalInverse(2, 2), 0.0);
        assertEquals(1.0 / 3 + 1.0 / 9, PlanarData.radicalInverse(4, 3), 1e-15);
        Dataset test = PlanarData.disc(10, 2000, 0, 1, DataType.DOUBLE);
        assertTrue(test.features().getDouble(0, 0) != xy[0], "offset gives other points");
    }

    @Test
    void moonsAndSpirals_areSeededAndBalanced() {
        Dataset a = PlanarData.twoMoons(100, 0.1, 3, DataType.FLOAT);
        Dataset b = PlanarData.twoMoons(100, 0.1, 3, DataType.FLOAT);
        assertEquals(a.features(), b.features());
        assertEquals(2, a.numClasses());
        assertEquals(50, Arrays.stream(a.labels()).sum());
        Dataset s = PlanarData.twoSpirals(100, 0, 3, DataType.DOUBLE);
        double[] xy = s.features().dup('c').data().asDouble();
        for (int i = 0; i < 100; i++) {
            assertTrue(Math.hypot(xy[2 * i], xy[2 * i + 1]) <= 1 + 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> PlanarData.twoMoons(0, 0.1, 3, DataType.FLOAT));
        assertThrows(IllegalArgumentException.class, () -> PlanarData.twoSpirals(10, -1, 3, DataType.FLOAT));
    }
}
