package io.structflow.core.data;

import io.structflow.core.autodiff.Tensor;

/**
 * One mini-batch: inputs, and either regression targets or class labels.
 *
 * @param x      inputs {@code [batch, …]} (a constant tensor)
 * @param y      regression targets {@code [batch, …]}, or {@code null} for a classification batch
 * @param labels class labels {@code int[batch]}, or {@code null} for a regression batch
 */
public record Batch(Tensor x, Tensor y, int[] labels) {
    /** Validates that x is present and that y or labels has one entry per example. */
    public Batch {
        if (x == null || x.rank() < 1) {
            throw new IllegalArgumentException("Batch: x expected a tensor [batch, ...] but got "
                    + (x == null ? "null" : "a rank-0 tensor"));
        }
        long n = x.size(0);
        if (y == null && labels == null) {
            throw new IllegalArgumentException("Batch: expected targets y or labels but got neither");
        }
        if (y != null && (y.rank() < 1 || y.size(0) != n)) {
            throw new IllegalArgumentException("Batch: y expected " + n + " rows (one per example of x) but got shape "
                    + java.util.Arrays.toString(y.shape()));
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("Batch: labels expected " + n + " entries (one per example of x) but got "
                    + labels.length);
        }
    }

    /** Number of examples. */
    public int size() {
        return (int) x.size(0);
    }
}
