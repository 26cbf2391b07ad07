package io.structflow.constraints.linalg;

import io.structflow.constraints.internal.Messages;

/**
 * Stopping rule of the operator-norm estimators (restarted Lanczos on {@code 𝒜ᵀ𝒜}, see
 * {@link Lanczos}): stop when the Ritz residual {@code ‖𝒜ᵀ𝒜x − θx‖} is at most
 * {@code tolerance · θ}, or after {@code maxProducts} products with {@code 𝒜ᵀ𝒜}.
 *
 * @param maxProducts     products with {@code 𝒜ᵀ𝒜} per call, ≥ 1
 * @param krylovDimension Lanczos vectors per restart, ≥ 2
 * @param tolerance       relative Ritz residual that counts as converged, &gt; 0
 * @param seed            seed of the random start vector (used once; later calls warm-start)
 */
public record NormEstimateSettings(int maxProducts, int krylovDimension, double tolerance, long seed) {
    public NormEstimateSettings {
        Messages.atLeastOne("NormEstimateSettings", "maxProducts", maxProducts);
        if (krylovDimension < 2) {
            throw Messages.badArgument("NormEstimateSettings", "krylovDimension", "an integer ≥ 2", krylovDimension);
        }
        Messages.positive("NormEstimateSettings", "tolerance", tolerance);
    }

    /**
     * For convolution operators, estimated after every optimiser step: 300 products, Krylov
     * dimension 20, residual tolerance 1e-5 (the Ritz value's error is of the order of the
     * squared residual), seed 0. Warm-started, a projection then costs a few dozen products.
     */
    public static NormEstimateSettings convolution() {
        return new NormEstimateSettings(300, 20, 1e-5, 0);
    }

    /** 2000 products, Krylov dimension 20, tolerance 1e-10, seed 0. */
    public static NormEstimateSettings defaults() {
        return new NormEstimateSettings(2000, 20, 1e-10, 0);
    }
}
