/**
 * Internals of the integrators module: argument checks and messages ({@code Checks}), gradients
 * of per-sample scalars by autodiff ({@code Differentiation}); per-sample Jacobians are core's
 * {@code Jacobians}, the differentiable linear solve is core's {@code LinearSolve}.
 * Not part of the public API; may change without notice.
 */
package io.structflow.integrators.internal;
