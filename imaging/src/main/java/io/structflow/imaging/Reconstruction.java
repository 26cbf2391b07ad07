package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;

/**
 * The result of an iterative reconstruction: the final iterate {@code x_K} and the history of the
 * iteration {@code x₀, x₁, …, x_K}.
 *
 * @param x              the final iterate (the last finite one if the iteration diverged)
 * @param changes        {@code ‖xₖ₊₁ − xₖ‖} for k = 0 … K−1 (length K)
 * @param relativeChanges {@code ‖xₖ₊₁ − xₖ‖ / ‖xₖ₊₁‖} for k = 0 … K−1 (length K)
 * @param objective      the objective at {@code x₀ … x_K} (length K + 1): {@code f + g} for
 *                       proximal methods, the data term f for plug-and-play
 * @param psnr           PSNR of {@code x₀ … x_K} against the reference (length K + 1), or empty
 *                       when no reference was given
 * @param stopReason     why the iteration stopped
 */
public record Reconstruction(Tensor x, double[] changes, double[] relativeChanges, double[] objective, double[] psnr,
                             StopReason stopReason) {
    /** Why an iteration stopped. */
    public enum StopReason {
        /** The relative change fell to the tolerance. */
        CONVERGED,
        /** The iteration budget ran out. */
        MAX_ITERATIONS,
        /** An iterate held NaN or ±∞ (for example a step above 2/L). */
        DIVERGED
    }

    /** Number of iterations K performed. */
    public int iterations() {
        return changes.length;
    }
}
