package io.structflow.spark;

import io.structflow.core.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * A data set split once into {@code P} contiguous shards of whole units of {@code u} examples —
 * with {@code C = ⌈N/u⌉} units, partition {@code p} holds the examples
 * {@code [u⌊pC/P⌋, min(N, u⌊(p+1)C/P⌋))} ({@code u = 1} for training, the evaluation batch for
 * evaluation) — as an RDD cached in executor memory, so that every later job reads its shard
 * where it lives.
 */
final class PartitionedData implements AutoCloseable {
    private final JavaRDD<ExampleShard> shards;
    private final int size;
    private final int partitions;

    private PartitionedData(JavaRDD<ExampleShard> shards, int size, int partitions) {
        this.shards = shards;
        this.size = size;
        this.partitions = partitions;
    }

    /** {@link #of(JavaSparkContext, Dataset, int, int)} with units of one example. */
    static PartitionedData of(JavaSparkContext sc, Dataset data, int partitions) {
        return of(sc, data, partitions, 1);
    }

    /**
     * Splits {@code data} into {@code partitions} shards of whole units of {@code unit} examples,
     * caches them and materialises the cache.
     *
     * @throws IllegalArgumentException naming {@code partitions} if it is below 1 or above the
     *         number of units (a shard would be empty)
     */
    static PartitionedData of(JavaSparkContext sc, Dataset data, int partitions, int unit) {
        int units = (data.size() + unit - 1) / unit;
        if (partitions < 1 || partitions > units) {
            throw new IllegalArgumentException("partitions: expected between 1 and the number of "
                    + (unit == 1 ? "examples" : "batches of " + unit) + " of \"" + data.name() + "\" (" + units
                    + ") but got " + partitions);
        }
        List<ExampleShard> list = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int from = Math.min(data.size(), unit * bound(p, units, partitions));
            int to = Math.min(data.size(), unit * bound(p + 1, units, partitions));
            list.add(ExampleShard.of(data, p, from, to));
        }
        JavaRDD<ExampleShard> rdd = sc.parallelize(list, partitions).persist(StorageLevel.MEMORY_ONLY());
        Jobs.run(rdd::count);
        return new PartitionedData(rdd, data.size(), partitions);
    }

    private static int bound(int p, int n, int partitions) {
        return (int) ((long) p * n / partitions);
    }

    /** The cached shards, one per partition. */
    JavaRDD<ExampleShard> shards() {
        return shards;
    }

    /** Number of examples. */
    int size() {
        return size;
    }

    /** Number of partitions. */
    int partitions() {
        return partitions;
    }

    /** Drops the cached shards. */
    @Override
    public void close() {
        shards.unpersist(false);
    }
}
