package io.structflow.spark;

import io.structflow.core.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * A data set split once into {@code P} contiguous shards — partition {@code p} holds the
 * examples {@code [⌊pN/P⌋, ⌊(p+1)N/P⌋)} — as an RDD cached in executor memory, so that every
 * later job reads its shard where it lives.
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

    /**
     * Splits {@code data} into {@code partitions} shards, caches them and materialises the cache.
     *
     * @throws IllegalArgumentException naming {@code partitions} if it is below 1 or above the
     *         number of examples (a shard would be empty)
     */
    static PartitionedData of(JavaSparkContext sc, Dataset data, int partitions) {
        if (partitions < 1 || partitions > data.size()) {
            throw new IllegalArgumentException("partitions: expected between 1 and the number of examples of \""
                    + data.name() + "\" (" + data.size() + ") but got " + partitions);
        }
        List<ExampleShard> list = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            list.add(ExampleShard.of(data, p, bound(p, data.size(), partitions), bound(p + 1, data.size(), partitions)));
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
