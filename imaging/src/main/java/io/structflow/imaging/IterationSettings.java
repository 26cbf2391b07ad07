package io.structflow.imaging;

/**
 * Stopping rule of the iterative methods of this package: stop after {@code maxIterations}
 * iterations, or as soon as the relative change
 * <pre>
 *   ‖xₖ₊₁ − xₖ‖ / ‖xₖ₊₁‖ ≤ tolerance
 * </pre>
 * (0/0 counts as 0), or when an iterate holds NaN or ±∞.
 *
 * @param maxIterations iterations, ≥ 1
 * @param tolerance     relative change that counts as converged, ≥ 0 (0: always run maxIterations)
 */
public record IterationSettings(int maxIterations, double tolerance) {
    public IterationSettings {
        if (maxIterations < 1) {
            throw Messages.badArgument("IterationSettings", "maxIterations", "an integer ≥ 1", maxIterations);
        }
        Messages.nonNegative("IterationSettings", "tolerance", tolerance);
    }
}
