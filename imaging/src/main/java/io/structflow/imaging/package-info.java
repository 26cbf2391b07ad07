/**
 * Inverse problems in imaging with 1-Lipschitz denoisers: deblurring and compressed sensing by
 * forward–backward iterations, and plug-and-play (PnP), where a learned non-expansive denoiser
 * replaces a proximal operator ([M-slides], plug-and-play; the denoisers are built from the
 * contractive gradient steps of [CMOSS] (3.5)).
 *
 * <p>Every method iterates {@code xₖ₊₁ = T(xₖ − τAᵀ(Axₖ − y))} on the data term
 * {@code f(x) = ½‖Ax − y‖²} ({@link io.structflow.imaging.DataFidelity}), whose gradient
 * is {@code L = ‖A‖₂²}-Lipschitz ({@link io.structflow.imaging.LinearOperator#normSquared}):
 *
 * <table>
 *   <caption>Methods</caption>
 *   <tr><th>Method</th><th>backward step T</th><th>guarantee for 0 &lt; τ &lt; 2/L</th></tr>
 *   <tr><td>{@link io.structflow.imaging.ProximalGradient}</td><td>{@code prox_{τg}}</td>
 *       <td>objective f + g non-increasing; iterates converge</td></tr>
 *   <tr><td>{@link io.structflow.imaging.ProjectedGradient}</td><td>projection onto a box</td>
 *       <td>as proximal gradient; iterates stay in the box</td></tr>
 *   <tr><td>{@link io.structflow.imaging.Ista}</td><td>soft thresholding {@code S_{τλ}}</td>
 *       <td>lasso objective non-increasing; converges to a lasso minimiser</td></tr>
 *   <tr><td>{@link io.structflow.imaging.PlugAndPlay}</td><td>a denoiser D</td>
 *       <td>D non-expansive: {@code ‖xₖ₊₁ − xₖ‖} non-increasing; D averaged: convergence to a fixed point</td></tr>
 * </table>
 *
 * <p>Operators: {@link io.structflow.imaging.BlurOperator} (motion, Gaussian or any kernel;
 * zero or periodic boundary) and {@link io.structflow.imaging.MatrixOperator}. Baseline:
 * {@link io.structflow.imaging.TotalVariation} (Chambolle's projection algorithm). Quality:
 * {@link io.structflow.imaging.ImageMetrics} (PSNR). Images:
 * {@link io.structflow.imaging.ImageIo} (paths are the caller's). Learned denoisers:
 * {@code io.structflow.imaging.denoisers}. Iterations run without recording an autodiff
 * graph; images are {@code [batch, channels, height, width]}.
 */
package io.structflow.imaging;
