package io.structflow.spark;

import java.io.Serializable;

/**
 * The sum over some rows of a global batch of the per-row loss gradients, with the number of
 * rows and the sum of their losses: {@code n · ∇L(share)} and {@code n · L(share)} for a loss
 * {@code L} that is a mean over rows. Sums of disjoint shares add up to the global batch's.
 *
 * @param gradient flat gradient sum, {@code double[d]}
 * @param lossSum  sum of the rows' losses
 * @param rows     number of rows
 * @param nanos    the longest time one task spent computing its share
 */
record GradientSum(double[] gradient, double lossSum, long rows, long nanos) implements Serializable {
    /** No rows. */
    static GradientSum zero(int length) {
        return new GradientSum(new double[length], 0, 0, 0);
    }

    /** The sum of this and {@code other} (this one's array is reused). */
    GradientSum plus(GradientSum other) {
        double[] g = gradient;
        double[] h = other.gradient;
        for (int i = 0; i < g.length; i++) {
            g[i] += h[i];
        }
        return new GradientSum(g, lossSum + other.lossSum, rows + other.rows, Math.max(nanos, other.nanos));
    }
}
