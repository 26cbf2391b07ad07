package io.structflow.constraints.guarantee;

import io.structflow.core.nn.Guarantee;

/**
 * For a weight W {@code [m, n]}: {@code ‖WᵀW − I‖_F ≤ tolerance} when it is tall (m ≥ n: orthonormal
 * columns) or {@code ‖WWᵀ − I‖_F ≤ tolerance} when wide (orthonormal rows), checked in double
 * precision on the stored values. {@link #residualBound} adds the rounding of that check: each
 * Gram entry is a sum of at most max(m, n) products of entries of magnitude ≤ √3, so the computed
 * residual is within {@code 3·m·n·2⁻⁵²} of the true one. It implies
 * {@code 1 − r ≤ σᵢ(W)² ≤ 1 + r} for the {@code min(m, n)} singular values, r the residual bound.
 *
 * @param tolerance the Frobenius residual bound of the check, ≥ 0
 */
public record NearlyOrthonormal(double tolerance) implements Guarantee {
    /** The true residual bound r for a weight of shape {@code [rows, cols]}, rounding included. */
    public double residualBound(long rows, long cols) {
        return tolerance + 3.0 * rows * cols * Math.ulp(1.0);
    }

    /** {@code √(1 + r)}, a bound of the spectral norm of a {@code [rows, cols]} weight. */
    public double normBound(long rows, long cols) {
        return Math.sqrt(1 + residualBound(rows, cols));
    }

    /**
     * {@code √(1 − r)} (0 if r ≥ 1): a lower bound of the smallest of the {@code min(rows, cols)}
     * singular values.
     */
    public double smallestSingularValueBound(long rows, long cols) {
        return Math.sqrt(Math.max(0, 1 - residualBound(rows, cols)));
    }

    @Override
    public String describe() {
        return "‖WᵀW − I‖_F (or ‖WWᵀ − I‖_F when wide) ≤ " + tolerance;
    }
}
