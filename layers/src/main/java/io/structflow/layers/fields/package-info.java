/**
 * Parametrised vector fields, each a core {@link io.structflow.core.nn.Module} and an integrators
 * field type, with stable parameter names and seeded initialisation:
 * <table>
 *   <caption>Fields</caption>
 *   <tr><th>Field</th><th>f</th><th>Type</th><th>Source</th></tr>
 *   <tr><td>{@link io.structflow.layers.fields.ContractiveGradientField}</td><td>−Aᵀσ(Ax+b)</td><td>GradientFlowField</td><td>[CMOSS] (3.3), (3.5)</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.ExpansiveGradientField}</td><td>+Aᵀσ(Ax+b)</td><td>GradientFlowField</td><td>(3.7)</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.GeneralGradientField}</td><td>Aᵀdiag(α)σ(Ax+b)</td><td>GradientField</td><td>§3</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.ConvContractiveGradientField}, {@link io.structflow.layers.fields.ConvExpansiveGradientField}</td><td>∓Kᵀσ(Kx+b)</td><td>GradientFlowField</td><td>[M-slides]</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.CircularConvGradientField}</td><td>∓𝒬ᵀσ(𝒬x+b), 𝒬 an orthogonal circular convolution (Fourier–Cayley)</td><td>GradientFlowField</td><td>(3.3), (3.7); Trockman &amp; Kolter 2021</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.TriangularSkewField}</td><td>(A(z)−A(z)ᵀ)z</td><td>SkewField</td><td>Thm 2.2</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.ProjectedSphereField}</td><td>P(z)BᵀΣ(Cz+d)</td><td>SkewField</td><td>below Thm 2.2</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.MassPreservingField}</td><td>(A(y)−A(y)ᵀ)𝟏</td><td>ZeroSumField</td><td>(4.2)</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.SeparableHamiltonianField}</td><td>𝕁∇(uᵀγ(Ap+a) + vᵀγ(Bq+b))</td><td>SeparableHamiltonian</td><td>[M-slides]</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.NetworkHamiltonianField}</td><td>𝕁∇H_θ</td><td>HamiltonianField</td><td>[M-slides], §4</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.DivergenceFreeField}</td><td>[u(z₂), v(z₁)]</td><td>PartitionedField, ShearSplitField</td><td>§4.2</td></tr>
 *   <tr><td>{@link io.structflow.layers.fields.MlpField}</td><td>W₂σ(W₁x+b₁)+b₂</td><td>VectorField</td><td>(1.2)</td></tr>
 * </table>
 * A field publishes its structure by the interfaces it implements (the Type column);
 * {@link io.structflow.layers.PropertyRules} derives a layer's properties from them.
 * {@link io.structflow.layers.fields.LayerField} adds the input checks and a certified Lipschitz
 * bound; {@link io.structflow.layers.fields.GradientFlowField} the gradient form with certified
 * bounds of its operator.
 */
package io.structflow.layers.fields;
