package io.structflow.core.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batches of a {@link Dataset}, optionally shuffled. The order of epoch {@code e} is a
 * Fisher–Yates permutation drawn from a generator seeded by {@code (seed, e)} alone, so any
 * batch can be rebuilt from {@code (seed, epoch, index)}: a run resumed from a checkpoint sees
 * exactly the batches an uninterrupted run would have seen. The loader holds no mutable state.
 */
public final class DataLoader {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;

    /**
     * @param data      the examples
     * @param batchSize examples per batch, ≥ 1
     * @param shuffle   a fresh permutation each epoch (else the data order)
     * @param seed      seed of the permutations
     * @param dropLast  drop the last batch of an epoch when it is smaller than {@code batchSize}
     */
    public DataLoader(Dataset data, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        if (data == null) {
            throw new IllegalArgumentException("DataLoader: data expected a Dataset but got null");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("DataLoader: batchSize expected ≥ 1 but got " + batchSize);
        }
        if (dropLast && batchSize > data.size()) {
            throw new IllegalArgumentException("DataLoader: batchSize " + batchSize + " exceeds the " + data.size()
                    + " examples of \"" + data.name() + "\", so dropLast would leave no batch");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    /** Shuffled loader keeping the last, smaller batch. */
    public static DataLoader shuffled(Dataset data, int batchSize, long seed) {
        return new DataLoader(data, batchSize, true, seed, false);
    }

    /** Loader in data order (for evaluation). */
    public static DataLoader sequential(Dataset data, int batchSize) {
        return new DataLoader(data, batchSize, false, 0, false);
    }

    /** The data set. */
    public Dataset dataset() {
        return data;
    }

    /** Examples per (full) batch. */
    public int batchSize() {
        return batchSize;
    }

    /** The seed of the per-epoch permutations. */
    public long seed() {
        return seed;
    }

    /** Whether epochs are shuffled. */
    public boolean shuffle() {
        return shuffle;
    }

    /** Batches per epoch. */
    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The example order of {@code epoch}: a permutation depending only on (seed, epoch), or the identity. */
    public int[] order(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader.order: epoch expected ≥ 0 but got " + epoch);
        }
        if (!shuffle) {
            int[] identity = new int[data.size()];
            Arrays.setAll(identity, i -> i);
            return identity;
        }
        return permutation(data.size(), new SplittableRandom(seed + GOLDEN_GAMMA * (epoch + 1L)));
    }

    /** Batch {@code index} of {@code epoch}. */
    public Batch batch(int epoch, int index) {
        return batch(order(epoch), index);
    }

    private Batch batch(int[] order, int index) {
        int count = batchesPerEpoch();
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("DataLoader.batch: index expected in [0, " + count + ") but got " + index);
        }
        int from = index * batchSize;
        int to = Math.min(from + batchSize, order.length);
        return data.batch(Arrays.copyOfRange(order, from, to));
    }

    /** The batches of {@code epoch}, in order, starting at batch {@code firstIndex}. */
    public Iterator<Batch> epoch(int epoch, int firstIndex) {
        int[] order = order(epoch);
        int count = batchesPerEpoch();
        if (firstIndex < 0 || firstIndex > count) {
            throw new IllegalArgumentException("DataLoader.epoch: firstIndex expected in [0, " + count + "] but got "
                    + firstIndex);
        }
        return new Iterator<>() {
            private int next = firstIndex;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("DataLoader: epoch " + epoch + " has only " + count + " batches");
                }
                return batch(order, next++);
            }
        };
    }

    /** The batches of {@code epoch}, in order. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> epoch(epoch, 0);
    }

    /** A uniformly random permutation of {@code 0 … n−1} (Fisher–Yates). */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
