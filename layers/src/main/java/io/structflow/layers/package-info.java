/**
 * Vector field × integrator = layer: {@link io.structflow.layers.FlowLayer} and the contract
 * types {@link io.structflow.layers.Property}, {@link io.structflow.layers.LipschitzBounded},
 * {@link io.structflow.layers.Structured}, {@link io.structflow.layers.Invertible}.
 *
 * <table>
 *   <caption>Field × integrator → guaranteed property (h = step, S = sub-steps, c ≥ ‖A‖)</caption>
 *   <tr><th>Field</th><th>Integrator</th><th>Property</th><th>Condition</th></tr>
 *   <tr><td>ContractiveGradientField, ConvContractiveGradientField</td><td>ExplicitEuler</td><td>LIPSCHITZ_1</td>
 *       <td>σ' ∈ [0, 1]; h/S ∈ [0, 2/c²]: fixed, EulerStepBound, or StepBox with lo ≥ 0, hi ≤ 2S/c² ((3.5))</td></tr>
 *   <tr><td>HamiltonianField (separable or network)</td><td>SymplecticEuler, StormerVerlet, ImplicitMidpoint</td>
 *       <td>SYMPLECTIC, VOLUME_PRESERVING</td><td>any h</td></tr>
 *   <tr><td>SeparableHamiltonian</td><td>SymplecticEuler, StormerVerlet</td><td>INVERTIBLE</td>
 *       <td>inverse: adjoint method with −h</td></tr>
 *   <tr><td>DivergenceFreeField</td><td>Splitting of Runge–Kutta methods</td><td>VOLUME_PRESERVING, INVERTIBLE</td>
 *       <td>composition of shears; inverse: shears undone in reverse order (§4.2)</td></tr>
 *   <tr><td>MassPreservingField</td><td>any Runge–Kutta method</td><td>MASS_PRESERVING</td><td>(4.2)</td></tr>
 *   <tr><td>SkewField (TriangularSkewField, ProjectedSphereField)</td><td>CayleyHeun, ImplicitMidpoint</td>
 *       <td>NORM_PRESERVING</td><td>Thm 2.2</td></tr>
 *   <tr><td>ExpansiveGradientField, GeneralGradientField, MlpField</td><td>any</td><td>none</td>
 *       <td>Lipschitz bound only: (1 + h c²σ'_max) per Euler step, RK stage bound otherwise</td></tr>
 * </table>
 * Guarantees assume the constraints attached to parameters hold, i.e. were applied
 * ({@link io.structflow.core.nn.Parameter#projectInPlace()}, done by the optimiser after each step).
 */
package io.structflow.layers;
