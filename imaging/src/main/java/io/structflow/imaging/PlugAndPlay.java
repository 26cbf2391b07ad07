package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;

/**
 * Plug-and-play proximal gradient ([M-slides], plug-and-play): the prox of an unknown image prior
 * replaced by a denoiser D,
 * <pre>
 *   xₖ₊₁ = D(xₖ − τAᵀ(Axₖ − y)),        0 &lt; τ &lt; 2/‖A‖₂².
 * </pre>
 * When D is non-expansive the map is non-expansive, so {@code ‖xₖ₊₁ − xₖ‖} never increases; when
 * D is averaged — e.g. a network of contractive gradient steps {@code x − hKᵀσ(Kx + b)} with
 * {@code h < 2/‖K‖²} ([CMOSS] (3.5)) — so is the map (a composition of averaged operators), and
 * the iterates converge to a fixed point whenever one exists (Krasnosel'skiĭ–Mann; Bauschke &amp;
 * Combettes, <i>Convex Analysis and Monotone Operator Theory</i>, 2nd ed., chapters 4–5,
 * doi:10.1007/978-3-319-48311-5). The recorded objective is the data term
 * {@code ½‖Ax − y‖²} alone (D need not be the prox of any function). Reference: Venkatakrishnan,
 * Bouman, Wohlberg, GlobalSIP 2013, doi:10.1109/GlobalSIP.2013.6737048. Cost per iteration: one
 * A, one Aᵀ, one denoiser call.
 */
public final class PlugAndPlay {
    private final DataFidelity f;
    private final Denoiser denoiser;
    private final double tau;

    /**
     * @param f        the data term
     * @param denoiser D, applied to the whole batch
     * @param tau      step τ &gt; 0 (τ &lt; 2/L for the guarantees)
     */
    public PlugAndPlay(DataFidelity f, Denoiser denoiser, double tau) {
        if (f == null || denoiser == null) {
            throw Messages.badArgument("PlugAndPlay", f == null ? "f" : "denoiser", "non-null", "null");
        }
        this.f = f;
        this.denoiser = denoiser;
        this.tau = ForwardBackward.checkStep("PlugAndPlay", tau);
    }

    /** The step τ. */
    public double tau() {
        return tau;
    }

    /** Iterates from {@code x0} (not mutated), without PSNR. */
    public Reconstruction run(Tensor x0, IterationSettings settings) {
        return run(x0, settings, null, 1);
    }

    /**
     * Iterates from {@code x0}, recording the PSNR of each iterate against {@code reference}.
     *
     * @param x0        start, e.g. the blurred image {@code [batch, C, H, W]} (not mutated)
     * @param settings  stopping rule
     * @param reference ground truth of x0's shape, or null
     * @param peak      PSNR peak value (1 for images in [0, 1])
     */
    public Reconstruction run(Tensor x0, IterationSettings settings, Tensor reference, double peak) {
        return ForwardBackward.run("PlugAndPlay", f, denoiser::denoise, x -> 0, tau, x0, settings, reference, peak);
    }
}
