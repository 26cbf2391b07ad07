/**
 * Eager reverse-mode automatic differentiation on ND4J: {@link io.structflow.core.autodiff.Tensor},
 * {@link io.structflow.core.autodiff.Autograd} (gradients of any order),
 * {@link io.structflow.core.autodiff.GradMode}, and the primitive operations that need more than a
 * one-line rule: {@link io.structflow.core.autodiff.Convolution},
 * {@link io.structflow.core.autodiff.MatrixExponential} and the fused gradient-flow step
 * {@link io.structflow.core.autodiff.FusedGradientFlow} (over any
 * {@link io.structflow.core.autodiff.ElementwiseMap}); per-sample Jacobians of batch maps
 * ({@link io.structflow.core.autodiff.Jacobians}); operations that keep less than their graph and
 * recompute the rest backwards, checkpointed and reversible ({@link io.structflow.core.autodiff.Recompute}). {@link io.structflow.core.autodiff.Autograd#backward}
 * leaves gradients on {@link io.structflow.core.autodiff.GradientSink}s (the parameters of
 * {@code core.nn}); this package imports nothing from {@code core.nn}. Inside an
 * {@link io.structflow.core.autodiff.Intermediates} scope, operation results are freed when the
 * scope's owner declares them dead (and reused by the thread's next scopes), not when the garbage
 * collector runs;
 * {@link io.structflow.core.autodiff.ArrayMemory} counts their native memory.
 *
 * <p>Every backward rule is written with tensor operations, so gradients are differentiable.
 * Shapes are batch first. float32 is the default element type; gradient checks use float64.
 */
package io.structflow.core.autodiff;
