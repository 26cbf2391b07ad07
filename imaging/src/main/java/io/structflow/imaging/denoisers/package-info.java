/**
 * Denoisers for plug-and-play ([M-slides], "Denoising Performance"): the averaged denoiser
 * {@link io.structflow.imaging.denoisers.FlowDenoiser} {@code Γ = P ∘ N_θ ∘ L} of explicit Euler
 * gradient steps {@code x − τKᵀσ(Kx + b)} ([CMOSS] (3.5)) and its RK4 variant, the unconstrained
 * DnCNN baseline ({@link io.structflow.imaging.denoisers.DnCnn}), and their training on noisy
 * patches ({@link io.structflow.imaging.denoisers.PatchTrainer}). Each acts on images
 * {@code [batch, 1, H, W]} and becomes a {@link io.structflow.imaging.Denoiser} by
 * {@code Denoiser.of(module)}.
 */
package io.structflow.imaging.denoisers;
