/**
 * One-step numerical methods as differentiable maps: the layers of structure-preserving networks
 * ([CMOSS] (1.2): a ResNet layer is a step {@code x ↦ φ_h(x)} of an integrator applied to a
 * parametrised vector field).
 *
 * <p><b>Fields</b> ({@link io.structflow.integrators.VectorField} and refinements carrying the
 * structure a method needs): {@link io.structflow.integrators.GradientField} ({@code ∓∇V}),
 * {@link io.structflow.integrators.HamiltonianField} ({@code 𝕁∇H}),
 * {@link io.structflow.integrators.SeparableHamiltonian} ({@code H = K(p) + U(q)}),
 * {@link io.structflow.integrators.PartitionedField} ({@code x = [q, p]}),
 * {@link io.structflow.integrators.LinearGradientField} ({@code L∇E}),
 * {@link io.structflow.integrators.SplitField} ({@code f₁ + f₂}),
 * {@link io.structflow.integrators.SkewField} ({@code S(x)x}, {@code S} skew).
 *
 * <p><b>Integrators</b> ({@link io.structflow.integrators.Integrator}{@code <F>}, typed by the
 * field they need; {@link io.structflow.integrators.Structure} is defined there):
 * <table>
 *   <caption>Methods, their order and the structure each preserves</caption>
 *   <tr><th>Name</th><th>Class</th><th>Field</th><th>Order</th><th>Structure preserved</th></tr>
 *   <tr><td>Explicit Euler</td><td>{@code rungekutta.ExplicitEuler}</td><td>any</td><td>1</td><td>linear invariants</td></tr>
 *   <tr><td>Heun</td><td>{@code ExplicitRungeKutta.heun()}</td><td>any</td><td>2</td><td>linear invariants</td></tr>
 *   <tr><td>Explicit midpoint</td><td>{@code ExplicitRungeKutta.midpoint()}</td><td>any</td><td>2</td><td>linear invariants</td></tr>
 *   <tr><td>RK4</td><td>{@code ExplicitRungeKutta.rk4()}</td><td>any</td><td>4</td><td>linear invariants</td></tr>
 *   <tr><td>Explicit RK (user tableau)</td><td>{@code new ExplicitRungeKutta(tableau)}</td><td>any</td><td>tableau's (≤ 4, checked)</td><td>linear invariants</td></tr>
 *   <tr><td>Implicit midpoint</td><td>{@code rungekutta.ImplicitMidpoint}</td><td>any</td><td>2</td><td>symplectic, quadratic (hence norm) and linear invariants</td></tr>
 *   <tr><td>Symplectic Euler (p first / q first)</td><td>{@code symplectic.SymplecticEuler}</td><td>separable Hamiltonian</td><td>1</td><td>symplectic, volume</td></tr>
 *   <tr><td>Störmer–Verlet</td><td>{@code symplectic.StormerVerlet}</td><td>separable Hamiltonian</td><td>2</td><td>symplectic, volume</td></tr>
 *   <tr><td>Lie–Trotter splitting</td><td>{@code Splitting.lieTrotter(a, b)}</td><td>split {@code f₁ + f₂}</td><td>1</td><td>what both parts preserve</td></tr>
 *   <tr><td>Strang splitting</td><td>{@code Splitting.strang(a, b)}</td><td>split {@code f₁ + f₂}</td><td>min(2, parts)</td><td>what both parts preserve</td></tr>
 *   <tr><td>Gonzalez discrete gradient</td><td>{@code discretegradient.Gonzalez}</td><td>{@code L∇E}</td><td>2</td><td>energy conserving (skew L) / dissipating (L = −I)</td></tr>
 *   <tr><td>Itoh–Abe discrete gradient</td><td>{@code discretegradient.ItohAbe}</td><td>{@code L∇E}</td><td>1</td><td>energy conserving / dissipating</td></tr>
 *   <tr><td>Average vector field</td><td>{@code discretegradient.AverageVectorField}</td><td>{@code L∇E}</td><td>2</td><td>energy conserving / dissipating (exact for polynomial E of degree ≤ 2K)</td></tr>
 *   <tr><td>Cayley–Heun (Lie group)</td><td>{@code lie.CayleyHeun}</td><td>{@code S(x)x}, S skew</td><td>2</td><td>norm</td></tr>
 * </table>
 * Implicit methods ({@link io.structflow.integrators.ImplicitIntegrator}) solve their step with
 * {@link io.structflow.integrators.ImplicitSolver} (Newton or fixed-point iteration, gradients by
 * the implicit-function theorem) and expose {@code residual(field, x, y, h)} for training on
 * trajectory pairs without a solve ([CMOSS] App. A).
 *
 * <p><b>Usage.</b>
 * <pre>{@code
 * SeparableHamiltonian quartic = SeparableHamiltonian.of(
 *         p -> p.square().sum(false, 1).mul(0.5),                  // K(p) = |p|²/2
 *         q -> q.pow(4).sum(false, 1).mul(0.25));                  // U(q) = Σq⁴/4; ∂K/∂p, ∂U/∂q by autodiff
 * Integrator<SeparableHamiltonian> verlet = new StormerVerlet();
 * Tensor h = Tensor.variable(Nd4j.scalar(0.1f));                   // learnable step size
 * Tensor y = verlet.step(quartic, x, h);                           // x: [batch, 2d]; differentiable in x, h, θ
 * Tensor path = Solver.trajectory(quartic, verlet, x, h, 100);     // [101, batch, 2d]
 * Tensor y2 = new Gonzalez().step(quartic, x, h);                  // energy-conserving, implicit (Newton)
 * Tensor r = new Gonzalez().residual(quartic, x, xNext, h);        // trajectory pairs: no solve
 * // verlet.step(GradientField.descent(V), x, h);                  // does not compile: wrong pairing
 * }</pre>
 */
package io.structflow.integrators;
