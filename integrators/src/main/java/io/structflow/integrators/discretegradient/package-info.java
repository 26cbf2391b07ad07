/**
 * Discrete gradient methods for fields {@code f = L∇E}: Gonzalez (midpoint, order 2), Itoh–Abe
 * (coordinate increments, order 1) and the average vector field method (Gauss–Legendre
 * quadrature, order 2). They conserve {@code E} exactly for skew {@code L} (Hamiltonian fields)
 * and make it decrease for every step size along gradient descent — the discrete counterpart of
 * the 1-Lipschitz and energy arguments of [CMOSS] §3. All are implicit, solved by
 * {@link io.structflow.integrators.ImplicitSolver}; {@code residual} serves trajectory-pair training.
 */
package io.structflow.integrators.discretegradient;
