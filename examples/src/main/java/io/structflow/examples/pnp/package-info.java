/**
 * Plug-and-play denoising and deblurring of [M-slides] ("Denoising Performance", "Convergence of the
 * PnP iterations"): the averaged denoiser {@link io.structflow.examples.pnp.FlowDenoiser}
 * {@code Γ = P ∘ N_θ ∘ L} of explicit Euler gradient steps {@code x − τKᵀσ(Kx + b)} ([CMOSS] (3.5)),
 * its RK4 variant, the DnCNN baseline ({@link io.structflow.examples.pnp.DnCnn}), patch training
 * ({@link io.structflow.examples.pnp.PatchTrainer}), the images
 * ({@link io.structflow.examples.pnp.ImageSets}) and the two experiments behind the
 * {@code denoise} and {@code deblur} commands.
 */
package io.structflow.examples.pnp;
