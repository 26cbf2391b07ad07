/**
 * Blocks built from flow layers and the layers around them, [CMOSS] §3–§4.
 *
 * <table>
 *   <caption>Blocks and what each guarantees</caption>
 *   <tr><th>Type</th><th>Map</th><th>Guarantee</th><th>Source</th></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.DynamicalBlock}</td>
 *       <td>pairs of contractive/expansive Euler layers, steps (h₁, h₂) in R or App. C's set</td>
 *       <td>1-Lipschitz (dense orthogonal A; orthogonal circular convs, {@code orthogonalConv}); bound Π of
 *       layer bounds (norm-bounded conv kernels)</td><td>(3.10)–(3.12)</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.NormalisedLinear}</td><td>{@code αWx}, ‖W‖₂ ≤ 1 (dense or conv)</td>
 *       <td>Lipschitz {@code |α|}; 1 with {@code |α| ≤ 1}</td><td>§3.3</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.ZeroPaddingLift}</td><td>{@code (x, 0)}</td>
 *       <td>isometry, mass</td><td>§1.1, §4.3</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.MassPreservingProjection}</td>
 *       <td>{@code z_{1:d} + Σ_extra/d}</td><td>mass</td><td>§4.3</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.PixelUnshuffle}</td><td>2×2 space-to-depth</td>
 *       <td>orthogonal (a permutation), invertible</td><td>Shi et al. 2016</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.AveragePoolDownsample}</td><td>k×k mean</td>
 *       <td>Lipschitz 1/k</td><td>§3.3</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.SympNet} ({@link io.structflow.layers.blocks.GradientModule},
 *       {@link io.structflow.layers.blocks.LinearModule}, {@link io.structflow.layers.blocks.ActivationModule})</td>
 *       <td>symmetric shears of {@code [q, p]}</td><td>symplectic, volume, invertible</td><td>§4.1, Jin et al. 2020</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.AdditiveCoupling}</td><td>{@code y₁ = x₁ + f(x₂), y₂ = x₂ + g(y₁)}</td>
 *       <td>volume, exact inverse</td><td>§4.2</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.ReversibleChain}</td><td>{@code Φ_L ∘ … ∘ Φ_1}, each layer invertible,
 *       trained by reversible backpropagation (inputs rebuilt by the inverses)</td><td>what every layer
 *       guarantees; activation memory independent of L</td><td>Gomez et al. 2017</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.ResNetBlock}</td><td>{@code x + AᵀReLU(Bx + b)} and
 *       {@code ½(x + AᵀReLU(Bx + b))}, ‖A‖, ‖B‖ ≤ 1</td><td>none / 1-Lipschitz</td><td>§3.3 (reference)</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.ChannelProjection}</td><td>{@code z ↦ z₁} (first channel),
 *       the adjoint of the channel lift</td><td>Lipschitz 1</td><td>§1.1</td></tr>
 *   <tr><td>{@link io.structflow.layers.blocks.Flatten}</td><td>{@code [B, C, H, W] → [B, C·H·W]}</td>
 *       <td>isometry</td><td>§3.3</td></tr>
 * </table>
 * {@link io.structflow.layers.blocks.Lipschitz#bound} multiplies the bounds of the layers of a
 * {@code Sequential}, for the margin certificate (3.1).
 */
package io.structflow.layers.blocks;
