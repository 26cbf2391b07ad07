package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;

/**
 * Isotropic total variation and total-variation denoising, the classical baseline that the
 * learned denoisers of plug-and-play are compared with ([M-slides]). The Rudin–Osher–Fatemi
 * problem
 * <pre>
 *   u = argmin_u  ½‖u − g‖² + λ·TV(u),      TV(u) = Σ_{i,j} √((∇₁u)²_{ij} + (∇₂u)²_{ij}),
 * </pre>
 * with forward differences ∇ (zero across the last row and column, i.e. Neumann boundary), is
 * solved by <b>Chambolle's projection algorithm</b> on the dual variable p (a field of vectors
 * with |p_{ij}| ≤ 1):
 * <pre>
 *   pⁿ⁺¹ = (pⁿ + τ∇(div pⁿ − g/λ)) / (1 + τ|∇(div pⁿ − g/λ)|),     u = g − λ·div p,
 * </pre>
 * where {@code div = −∇ᵀ}; it converges for {@code τ ≤ 1/8} (Chambolle's theorem; 1/4 works in
 * practice). Each channel of each image is denoised separately, in float64 on the host (a loop of
 * ~20 flops per pixel and iteration, no ND4J calls). References: Rudin, Osher, Fatemi, Physica D
 * 60 (1992) 259–268, doi:10.1016/0167-2789(92)90242-F; Chambolle, J. Math. Imaging Vis. 20 (2004)
 * 89–97, doi:10.1023/B:JMIV.0000011325.36760.1e.
 */
public final class TotalVariation {
    /** Chambolle's proven step bound 1/8. */
    public static final double DEFAULT_TAU = 0.125;

    private TotalVariation() {
    }

    /**
     * TV denoising with the step {@link #DEFAULT_TAU}.
     *
     * @param noisy      images g {@code [batch, channels, height, width]}, float32 or float64 (not mutated)
     * @param lambda     the TV weight λ &gt; 0 (about the noise level σ for images in [0, 1])
     * @param iterations dual iterations, ≥ 1
     * @return the denoised images u, same shape and type
     */
    public static Tensor denoise(Tensor noisy, double lambda, int iterations) {
        return denoise(noisy, lambda, iterations, DEFAULT_TAU);
    }

    /**
     * TV denoising with a given dual step.
     *
     * @param noisy      images g {@code [batch, channels, height, width]} (not mutated)
     * @param lambda     the TV weight λ &gt; 0
     * @param iterations dual iterations, ≥ 1
     * @param tau        dual step in (0, 1/4] (convergence is proven for τ ≤ 1/8)
     */
    public static Tensor denoise(Tensor noisy, double lambda, int iterations, double tau) {
        Messages.requireImages("TotalVariation.denoise", "noisy", noisy);
        Messages.positive("TotalVariation.denoise", "lambda", lambda);
        Messages.positive("TotalVariation.denoise", "tau", tau);
        if (tau > 0.25) {
            throw Messages.badArgument("TotalVariation.denoise", "tau", "a step in (0, 1/4]", tau);
        }
        if (iterations < 1) {
            throw Messages.badArgument("TotalVariation.denoise", "iterations", "an integer ≥ 1", iterations);
        }
        long[] s = noisy.shape();
        int h = (int) s[2];
        int w = (int) s[3];
        double[] data = noisy.toDoubleArray();
        double[] out = new double[data.length];
        int plane = h * w;
        for (int offset = 0; offset < data.length; offset += plane) {
            chambolle(data, out, offset, h, w, lambda, iterations, tau);
        }
        return Tensor.of(noisy.dtype(), out, s);
    }

    /**
     * A {@link Prox} of {@code g = λ·TV}: {@code prox_{τg}(v)} = TV denoising of v with weight
     * {@code τλ} by {@code iterations} dual iterations (an inexact prox), for TV-regularised
     * deblurring with {@link ProximalGradient}.
     *
     * @param lambda     the TV weight λ &gt; 0
     * @param iterations dual iterations per prox, ≥ 1
     */
    public static Prox prox(double lambda, int iterations) {
        Messages.positive("TotalVariation.prox", "lambda", lambda);
        if (iterations < 1) {
            throw Messages.badArgument("TotalVariation.prox", "iterations", "an integer ≥ 1", iterations);
        }
        return new Prox() {
            @Override
            public Tensor apply(Tensor v, double tau) {
                return denoise(v, tau * lambda, iterations);
            }

            @Override
            public double value(Tensor x) {
                return lambda * TotalVariation.value(x);
            }

            @Override
            public String toString() {
                return "TotalVariation.prox(λ = " + lambda + ", " + iterations + " iterations)";
            }
        };
    }

    /**
     * The isotropic total variation {@code Σ √((∇₁u)² + (∇₂u)²)}, summed over all channels and
     * images.
     *
     * @param u images {@code [batch, channels, height, width]} (not mutated)
     */
    public static double value(Tensor u) {
        Messages.requireImages("TotalVariation.value", "u", u);
        int h = (int) u.size(2);
        int w = (int) u.size(3);
        double[] d = u.toDoubleArray();
        double tv = 0;
        for (int offset = 0; offset < d.length; offset += h * w) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int at = offset + i * w + j;
                    double g1 = i + 1 < h ? d[at + w] - d[at] : 0;
                    double g2 = j + 1 < w ? d[at + 1] - d[at] : 0;
                    tv += Math.sqrt(g1 * g1 + g2 * g2);
                }
            }
        }
        return tv;
    }

    /**
     * The ROF objective {@code ½‖u − g‖² + λ·TV(u)}.
     *
     * @param u      candidate images (not mutated)
     * @param noisy  the data g, u's shape
     * @param lambda λ ≥ 0
     */
    public static double objective(Tensor u, Tensor noisy, double lambda) {
        Messages.requireSameShape("TotalVariation.objective", "u", u, "noisy", noisy);
        Messages.nonNegative("TotalVariation.objective", "lambda", lambda);
        double d = Norms.distance(u, noisy);
        return 0.5 * d * d + lambda * value(u);
    }

    /** Chambolle's iteration on one {@code h × w} plane of {@code g} at {@code offset}, result into {@code out}. */
    private static void chambolle(double[] g, double[] out, int offset, int h, int w, double lambda, int iterations, double tau) {
        int n = h * w;
        double[] p1 = new double[n];
        double[] p2 = new double[n];
        double[] q = new double[n];
        for (int it = 0; it < iterations; it++) {
            divergence(p1, p2, q, h, w);
            for (int k = 0; k < n; k++) {
                q[k] -= g[offset + k] / lambda;
            }
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int k = i * w + j;
                    double g1 = i + 1 < h ? q[k + w] - q[k] : 0;
                    double g2 = j + 1 < w ? q[k + 1] - q[k] : 0;
                    double denominator = 1 + tau * Math.sqrt(g1 * g1 + g2 * g2);
                    p1[k] = (p1[k] + tau * g1) / denominator;
                    p2[k] = (p2[k] + tau * g2) / denominator;
                }
            }
        }
        divergence(p1, p2, q, h, w);
        for (int k = 0; k < n; k++) {
            out[offset + k] = g[offset + k] - lambda * q[k];
        }
    }

    /** {@code div p = −∇ᵀp} for forward differences with zero last row / column. */
    private static void divergence(double[] p1, double[] p2, double[] div, int h, int w) {
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int k = i * w + j;
                double d = (i + 1 < h ? p1[k] : 0) - (i > 0 ? p1[k - w] : 0);
                d += (j + 1 < w ? p2[k] : 0) - (j > 0 ? p2[k - 1] : 0);
                div[k] = d;
            }
        }
    }
}
