/**
 * Linear algebra the constraints need: a differentiable linear solve (for the Cayley
 * parametrisation) and operator-norm estimators by warm-started power iteration, for dense
 * weights and for convolution operators with padding and stride; the top k singular values by
 * block Lanczos ({@link io.structflow.constraints.linalg.OperatorNorm#topSingularValues}, estimates).
 *
 * <table>
 *   <caption>Estimators</caption>
 *   <tr><th>Name</th><th>Operator</th><th>Cost per product with 𝒜ᵀ𝒜</th></tr>
 *   <tr><td>{@link io.structflow.constraints.linalg.DenseSpectralNorm}</td><td>{@code x ↦ Wx}, W {@code [m, n]}</td><td>2mn</td></tr>
 *   <tr><td>{@link io.structflow.constraints.linalg.ConvOperatorNorm}</td><td>{@code x ↦ conv2d(x, K)} on {@code C×H×W} images</td><td>one conv2d and one convTranspose2d</td></tr>
 * </table>
 * Exact values: {@link io.structflow.constraints.linalg.CircularConvolutionSpectrum} gives every
 * singular value of a circular convolution from its Fourier blocks (Sedghi et al., ICLR 2019).
 */
package io.structflow.constraints.linalg;
