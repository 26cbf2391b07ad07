/**
 * Plug-and-play denoising and deblurring of [M-slides] ("Denoising Performance", "Convergence of the
 * PnP iterations"): the images ({@link io.structflow.examples.pnp.ImageSets}, which knows where
 * scikit-image's pictures live) and the two experiments behind the {@code denoise} and
 * {@code deblur} commands. The denoisers they train are the library's
 * ({@code io.structflow.imaging.denoisers}).
 */
package io.structflow.examples.pnp;
