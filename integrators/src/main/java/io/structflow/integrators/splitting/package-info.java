/**
 * Splitting methods for fields written as sums {@code f = f₁ + f₂}: coefficient records
 * ({@link io.structflow.integrators.SplittingScheme}: Lie–Trotter, Strang, or a user's
 * scheme) and one generic stepper that composes any two integrators
 * ({@link io.structflow.integrators.splitting.Splitting}).
 */
package io.structflow.integrators.splitting;
