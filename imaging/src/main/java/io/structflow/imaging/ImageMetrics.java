package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;

/**
 * Image quality against a reference, as [M-slides] (plug-and-play) reports it:
 * <pre>
 *   MSE(x, x*) = (1/N) Σᵢ (xᵢ − x*ᵢ)²,        PSNR(x, x*) = 10·log₁₀(peak² / MSE)   [dB],
 * </pre>
 * with {@code peak = 1} for images in [0, 1] (255 for 8-bit values). Computed in float64 over all
 * elements of the batch; PSNR is {@code +∞} when x equals the reference.
 */
public final class ImageMetrics {
    private ImageMetrics() {
    }

    /**
     * Mean squared error over all elements.
     *
     * @param x         images, any shape (not mutated)
     * @param reference ground truth, x's shape
     */
    public static double mse(Tensor x, Tensor reference) {
        Messages.requireSameShape("ImageMetrics.mse", "x", x, "reference", reference);
        double d = Norms.distance(x, reference);
        return d * d / x.length();
    }

    /**
     * Peak signal-to-noise ratio {@code 10·log₁₀(peak²/MSE)} in dB.
     *
     * @param x         images (not mutated)
     * @param reference ground truth, x's shape
     * @param peak      the largest possible pixel value, &gt; 0
     */
    public static double psnr(Tensor x, Tensor reference, double peak) {
        Messages.positive("ImageMetrics.psnr", "peak", peak);
        double mse = mse(x, reference);
        return 10 * Math.log10(peak * peak / mse);
    }

    /** PSNR with peak 1, for images in [0, 1]. */
    public static double psnr(Tensor x, Tensor reference) {
        return psnr(x, reference, 1);
    }
}
