/**
 * Parametrisations: differentiable maps, applied in the forward pass, from an unconstrained
 * raw weight to a weight that satisfies a constraint by construction.
 *
 * <table>
 *   <caption>Parametrisations</caption>
 *   <tr><th>Name</th><th>Map</th><th>Guarantee</th></tr>
 *   <tr><td>{@link io.structflow.constraints.parametrize.ExponentialOrthogonal}</td>
 *       <td>{@code A = expm(W − Wᵀ)}</td><td>AᵀA = I (orthonormal columns/rows if rectangular)</td></tr>
 *   <tr><td>{@link io.structflow.constraints.parametrize.CayleyOrthogonal}</td>
 *       <td>{@code A = (I + S)⁻¹(I − S)}, S = W − Wᵀ</td><td>AᵀA = I, no eigenvalue −1</td></tr>
 *   <tr><td>{@link io.structflow.constraints.parametrize.FourierCayleyConvolution}</td>
 *       <td>per frequency {@code Q̂ = (I + S)⁻¹(I − S)}, S = K̂ − K̂ᴴ (applied by
 *       {@link io.structflow.constraints.parametrize.FourierConvolution})</td><td>the circular convolution 𝒬 is
 *       orthogonal ({@link io.structflow.constraints.guarantee.OrthogonalOperator})</td></tr>
 * </table>
 */
package io.structflow.constraints.parametrize;
