/**
 * Finite-difference gradient checks, first and second order, in float64
 * ({@link io.structflow.core.check.GradCheck}), and the agreement of two computations of the same
 * tensors ({@link io.structflow.core.check.Agreement}).
 */
package io.structflow.core.check;
