package io.structflow.core.data;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An in-memory data set of {@code N} examples: features {@code [N, …]} plus either class labels
 * {@code int[N]} (classification) or targets {@code [N, …]} (regression). Arrays are copied in
 * and never written afterwards; batches are gathered copies. Images may instead be held as their
 * bytes ({@link UnsignedByteImages}): a batch then holds their pixel values, converted when the
 * batch is gathered, equal to those of a set made from {@link UnsignedByteImages#toArray}.
 */
public final class Dataset {
    private final String name;
    private final Features features;
    private final int[] labels;
    private final INDArray targets;

    /** How the features {@code [N, …]} are held: gathered rows are new arrays of the set's element type. */
    private interface Features {
        long[] shape();

        DataType type();

        /** The rows at {@code indices} as a new row-major array. */
        INDArray gather(int[] indices);

        Features subset(int[] indices);

        INDArray all();
    }

    /** Features in one array. */
    private record Dense(INDArray array) implements Features {
        @Override
        public long[] shape() {
            return array.shape();
        }

        @Override
        public DataType type() {
            return array.dataType();
        }

        @Override
        public INDArray gather(int[] indices) {
            return Dataset.gather(array, indices);
        }

        @Override
        public Features subset(int[] indices) {
            return new Dense(gather(indices));
        }

        @Override
        public INDArray all() {
            return array;
        }
    }

    /** Images held as bytes, converted to {@code type} when gathered. */
    private record Pixels(UnsignedByteImages images, DataType type) implements Features {
        @Override
        public long[] shape() {
            return images.shape();
        }

        @Override
        public INDArray gather(int[] indices) {
            return images.toArray(indices, type);
        }

        @Override
        public Features subset(int[] indices) {
            return new Pixels(images.select(indices), type);
        }

        @Override
        public INDArray all() {
            return images.toArray(type);
        }
    }

    private Dataset(String name, Features features, int[] labels, INDArray targets) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Dataset: name expected non-empty but got " + (name == null ? "null" : "\"\""));
        }
        long[] shape = features.shape();
        if (shape.length < 1 || shape[0] == 0) {
            throw new IllegalArgumentException("Dataset \"" + name + "\": expected at least one example but features have shape "
                    + Shapes.str(shape));
        }
        DataType t = features.type();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException("Dataset \"" + name + "\": features expected float32 or float64 but got " + t);
        }
        long n = shape[0];
        if (labels != null) {
            if (labels.length != n) {
                throw new IllegalArgumentException("Dataset \"" + name + "\": labels expected " + n
                        + " entries (one per row of features " + Shapes.str(shape) + ") but got " + labels.length);
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0) {
                    throw new IllegalArgumentException("Dataset \"" + name + "\": labels[" + i + "] expected ≥ 0 but got "
                            + labels[i]);
                }
            }
        }
        if (targets != null) {
            if (targets.rank() < 1 || targets.size(0) != n) {
                throw new IllegalArgumentException("Dataset \"" + name + "\": targets expected " + n
                        + " rows (one per row of features " + Shapes.str(shape) + ") but got shape "
                        + Shapes.str(targets.shape()));
            }
            if (targets.dataType() != t) {
                throw new IllegalArgumentException("Dataset \"" + name + "\": targets expected the features' type " + t
                        + " but got " + targets.dataType());
            }
        }
        this.name = name;
        this.features = features;
        this.labels = labels;
        this.targets = targets;
    }

    /**
     * A classification data set.
     *
     * @param name     used in messages and metrics
     * @param features {@code [N, …]}, float32 or float64, N ≥ 1 (copied)
     * @param labels   {@code int[N]}, each ≥ 0 (copied)
     */
    public static Dataset classification(String name, INDArray features, int[] labels) {
        if (labels == null) {
            throw new IllegalArgumentException("Dataset \"" + name + "\": labels expected int[N] but got null");
        }
        return new Dataset(name, dense(name, features), labels.clone(), null);
    }

    /**
     * A classification data set of images held as bytes: each batch converts its images to
     * {@code type} (see {@link UnsignedByteImages} for the pixel values).
     *
     * @param name   used in messages and metrics
     * @param images {@code [N, C, H, W]}, N ≥ 1 (shared: they are immutable)
     * @param type   element type of the batches, FLOAT or DOUBLE
     * @param labels {@code int[N]}, each ≥ 0 (copied)
     */
    public static Dataset classification(String name, UnsignedByteImages images, DataType type, int[] labels) {
        if (images == null) {
            throw new IllegalArgumentException("Dataset \"" + name + "\": images expected [N, C, H, W] but got null");
        }
        if (labels == null) {
            throw new IllegalArgumentException("Dataset \"" + name + "\": labels expected int[N] but got null");
        }
        return new Dataset(name, new Pixels(images, type), labels.clone(), null);
    }

    /**
     * A regression data set.
     *
     * @param name     used in messages and metrics
     * @param features {@code [N, …]}, float32 or float64, N ≥ 1 (copied)
     * @param targets  {@code [N, …]}, the features' element type (copied)
     */
    public static Dataset regression(String name, INDArray features, INDArray targets) {
        if (targets == null) {
            throw new IllegalArgumentException("Dataset \"" + name + "\": targets expected [N, ...] but got null");
        }
        return new Dataset(name, dense(name, features), null, targets.dup('c'));
    }

    private static Features dense(String name, INDArray features) {
        if (features == null) {
            throw new IllegalArgumentException("Dataset \"" + name + "\": features expected [N, ...] but got null");
        }
        return new Dense(features.dup('c'));
    }

    /** Name given at construction. */
    public String name() {
        return name;
    }

    /** Number of examples N. */
    public int size() {
        return (int) features.shape()[0];
    }

    /** True for a classification data set. */
    public boolean hasLabels() {
        return labels != null;
    }

    /**
     * The features {@code [N, …]}; callers must not write them. For a set of images held as bytes,
     * a new array of their pixel values on each call.
     */
    public INDArray features() {
        return features.all();
    }

    /** A copy of the labels, or {@code null} for a regression data set. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** The targets {@code [N, …]} (callers must not write them), or {@code null} for classification. */
    public INDArray targets() {
        return targets;
    }

    /** Number of classes, {@code max label + 1}. */
    public int numClasses() {
        if (labels == null) {
            throw new IllegalStateException("Dataset \"" + name + "\": numClasses of a regression data set (no labels)");
        }
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    /** The examples at {@code indices} (copies), in that order, as a data set named {@code name}. */
    public Dataset subset(String subsetName, int[] indices) {
        checkIndices("subset", indices);
        if (indices.length == 0) {
            throw new IllegalArgumentException("Dataset \"" + name + "\".subset: indices expected at least one index"
                    + " (the subset \"" + subsetName + "\" would be empty) but got none");
        }
        return new Dataset(subsetName, features.subset(indices), labels == null ? null : pick(labels, indices),
                targets == null ? null : gather(targets, indices));
    }

    /**
     * A seeded random split into two disjoint parts.
     *
     * @param fraction share of the examples in the first part, in (0, 1); both parts must be non-empty
     * @param seed     seed of the permutation
     * @return {@code [first, second]}, named {@code name + "/first"} and {@code name + "/second"}
     */
    public Dataset[] split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("Dataset \"" + name + "\".split: fraction expected in (0, 1) but got " + fraction);
        }
        int n = size();
        int first = (int) Math.round(fraction * n);
        if (first == 0 || first == n) {
            throw new IllegalArgumentException("Dataset \"" + name + "\".split: fraction " + fraction + " of " + n
                    + " examples leaves one part empty");
        }
        int[] perm = DataLoader.permutation(n, new SplittableRandom(seed));
        return new Dataset[] {
            subset(name + "/first", Arrays.copyOfRange(perm, 0, first)),
            subset(name + "/second", Arrays.copyOfRange(perm, first, n))};
    }

    /** The batch of the examples at {@code indices}, in that order. */
    public Batch batch(int[] indices) {
        checkIndices("batch", indices);
        Tensor x = Tensor.constant(features.gather(indices));
        if (labels != null) {
            return new Batch(x, null, pick(labels, indices));
        }
        return new Batch(x, Tensor.constant(gather(targets, indices)), null);
    }

    private void checkIndices(String where, int[] indices) {
        if (indices == null) {
            throw new IllegalArgumentException("Dataset \"" + name + "\"." + where + ": indices expected int[] but got null");
        }
        int n = size();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IllegalArgumentException("Dataset \"" + name + "\"." + where + ": indices[" + i
                        + "] expected in [0, " + n + ") but got " + indices[i]);
            }
        }
    }

    private static int[] pick(int[] values, int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }

    /** Rows {@code indices} of {@code a [N, …]} as a new c-order array {@code [k, …]} (one native gather). */
    private static INDArray gather(INDArray a, int[] indices) {
        long n = a.size(0);
        long row = a.length() / n;
        INDArray rows = Nd4j.pullRows(a.reshape('c', n, row), 1, indices, 'c');
        long[] shape = a.shape().clone();
        shape[0] = indices.length;
        return rows.reshape('c', shape);
    }

    @Override
    public String toString() {
        return "Dataset \"" + name + "\" " + Shapes.str(features.shape()) + (labels != null
                ? " with " + numClasses() + " classes" : " with targets " + Shapes.str(targets.shape()));
    }
}
