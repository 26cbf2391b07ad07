/**
 * Projectors: {@link io.structflow.core.nn.Constraint}s applied after each optimiser step, in
 * attach order. Each is idempotent, leaves a point inside its set unchanged, rounds its result
 * into the parameter's type so that the stored value is inside the set, and throws an
 * {@link java.lang.ArithmeticException} on a parameter holding NaN or ±∞.
 *
 * <table>
 *   <caption>Projectors</caption>
 *   <tr><th>Name</th><th>Set</th><th>Guarantee ([CMOSS])</th></tr>
 *   <tr><td>{@link io.structflow.constraints.project.BjorckOrthonormalization}</td><td>‖WᵀW − I‖_F ≤ tol</td><td>orthonormal A for the sharp bound of (3.10)</td></tr>
 *   <tr><td>{@link io.structflow.constraints.project.SpectralNormBound}</td><td>‖𝒜_W‖₂ ≤ c (dense or conv)</td><td>1-Lipschitz linear maps; (3.5)–(3.7) with ‖A‖ ≤ 1</td></tr>
 *   <tr><td>{@link io.structflow.constraints.project.StepBox}</td><td>lo ≤ h ≤ hi</td><td>step ranges</td></tr>
 *   <tr><td>{@link io.structflow.constraints.project.EulerStepBound}</td><td>0 ≤ τ ≤ 2/‖A‖²</td><td>1-Lipschitz contractive Euler step (3.5)</td></tr>
 *   <tr><td>{@link io.structflow.constraints.project.NonExpansiveStepRegion}</td><td>(h₁, h₂) ∈ R_S</td><td>1-Lipschitz contractive/expansive pair (3.10)</td></tr>
 *   <tr><td>{@link io.structflow.constraints.project.FlexibleSwitchingRegion}</td><td>App. C bounds</td><td>1-Lipschitz flexible switching (3.12)</td></tr>
 * </table>
 */
package io.structflow.constraints.project;
