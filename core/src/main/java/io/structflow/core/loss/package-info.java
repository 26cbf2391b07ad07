/**
 * Loss functions and metrics, written with {@link io.structflow.core.autodiff.Tensor} operations so
 * that they differentiate (to any order) through reverse mode: mean squared error,
 * cross-entropy on logits, the multi-class hinge loss with margin of [CMOSS] §3.3, and
 * classification accuracy. See {@link io.structflow.core.loss.Losses}.
 */
package io.structflow.core.loss;
