package io.structflow.spark;

import io.structflow.core.data.Batch;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import java.io.Serializable;
import java.util.Arrays;

/**
 * One partition of a training or test set: the examples with global indices
 * {@code [start, start + size)}, as plain Java arrays for serialisation. On the executor that
 * caches it, the first use rebuilds an ND4J {@link Dataset} from them, which later tasks reuse
 * (the field is transient, so the cached Java object keeps it between tasks).
 */
final class ExampleShard implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int partition;
    private final int start;
    private final int size;
    private final FlatArray features;
    private final int[] labels;
    private final FlatArray targets;
    private transient Dataset dataset;

    private ExampleShard(int partition, int start, int size, FlatArray features, int[] labels, FlatArray targets) {
        this.partition = partition;
        this.start = start;
        this.size = size;
        this.features = features;
        this.labels = labels;
        this.targets = targets;
    }

    /** The examples {@code [start, end)} of {@code data} as partition {@code partition}. */
    static ExampleShard of(Dataset data, int partition, int start, int end) {
        int[] idx = new int[end - start];
        Arrays.setAll(idx, i -> start + i);
        Dataset part = data.subset(data.name() + "/" + partition, idx);
        return new ExampleShard(partition, start, idx.length, FlatArray.of(part.features()),
                part.hasLabels() ? part.labels() : null, part.hasLabels() ? null : FlatArray.of(part.targets()));
    }

    int partition() {
        return partition;
    }

    int start() {
        return start;
    }

    int size() {
        return size;
    }

    /** The shard as an ND4J data set (built once per executor). */
    synchronized Dataset dataset() {
        if (dataset == null) {
            String name = "shard " + partition;
            dataset = labels != null ? Dataset.classification(name, features.toNd4j(), labels)
                    : Dataset.regression(name, features.toNd4j(), targets.toNd4j());
        }
        return dataset;
    }

    /**
     * The rows of {@code globalIndices} that live in this shard, in the order given, as local
     * indices; empty if none does.
     */
    int[] localIndices(int[] globalIndices) {
        int count = 0;
        for (int g : globalIndices) {
            count += g >= start && g < start + size ? 1 : 0;
        }
        int[] out = new int[count];
        int j = 0;
        for (int g : globalIndices) {
            if (g >= start && g < start + size) {
                out[j++] = g - start;
            }
        }
        return out;
    }

    /** The batch of local rows {@code local}. */
    Batch batch(int[] local) {
        return dataset().batch(local);
    }

    /**
     * {@code count} local row indices drawn for local-SGD step {@code step} of round
     * {@code round}: consecutive slices of a permutation of the shard seeded by
     * (seed, partition) and the round, wrapping around when a round needs more rows than the shard has.
     */
    int[] localBatch(long seed, int round, int step, int count) {
        long partitionSeed = seed ^ (0x9E3779B97F4A7C15L * (partition + 1L));
        int[] perm = new DataLoader(dataset(), 1, true, partitionSeed, false).order(round);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = perm[(int) (((long) step * count + i) % size)];
        }
        return out;
    }
}
