/**
 * Explicit symplectic methods for separable Hamiltonians {@code H = K(p) + U(q)}: symplectic
 * Euler (both variants, order 1) and Störmer–Verlet (order 2). Both are compositions of shears,
 * hence symplectic and volume-preserving for every step size; their energy error stays bounded
 * over long times instead of drifting.
 */
package io.structflow.integrators.symplectic;
