/**
 * Runge–Kutta methods: explicit Euler, the generic explicit stepper of a validated
 * {@link io.structflow.integrators.ButcherTableau} (Heun, explicit midpoint, RK4, or
 * a user's tableau), and the implicit midpoint rule. All keep linear invariants; the implicit
 * midpoint rule is also symplectic and keeps quadratic invariants.
 */
package io.structflow.integrators.rungekutta;
