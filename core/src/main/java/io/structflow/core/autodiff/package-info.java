/**
 * Eager reverse-mode automatic differentiation on ND4J: {@link io.structflow.core.autodiff.Tensor},
 * {@link io.structflow.core.autodiff.Autograd} (gradients of any order),
 * {@link io.structflow.core.autodiff.GradMode}, and the primitive operations that need more than a
 * one-line rule: {@link io.structflow.core.autodiff.Convolution},
 * {@link io.structflow.core.autodiff.MatrixExponential} and the fused gradient-flow step
 * {@link io.structflow.core.autodiff.FusedGradientFlow}.
 *
 * <p>Every backward rule is written with tensor operations, so gradients are differentiable.
 * Shapes are batch first. float32 is the default element type; gradient checks use float64.
 */
package io.structflow.core.autodiff;
