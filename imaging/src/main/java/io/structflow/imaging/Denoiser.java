package io.structflow.imaging;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;

/**
 * A denoiser {@code D}, the backward step of plug-and-play ({@link PlugAndPlay}): any map from a
 * batch of images to denoised images of the same shape. PnP converges when D is averaged
 * (non-expansive with a strict contraction part), which holds for a network of contractive
 * gradient steps {@code x − τKᵀσ(Kx + b)} with {@code τ < 2/‖K‖²} and σ' ∈ [0, 1]
 * ([CMOSS] (3.5), [M-slides]).
 */
@FunctionalInterface
public interface Denoiser {
    /**
     * @param x noisy images {@code [batch, channels, height, width]} (not mutated)
     * @return denoised images, same shape and type
     */
    Tensor denoise(Tensor x);

    /** A trained module's forward pass, run without recording a graph. */
    static Denoiser of(Module module) {
        if (module == null) {
            throw Messages.badArgument("Denoiser.of", "module", "non-null", "null");
        }
        return x -> {
            try (GradMode.Scope s = GradMode.noGrad()) {
                return module.forward(x).detach();
            }
        };
    }
}
