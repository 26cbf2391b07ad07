/**
 * structflow-constraints: keep parameters where a network's guarantees hold ([CMOSS] §1.1, §3,
 * App. C).
 *
 * <ul>
 *   <li>{@link io.structflow.constraints.parametrize}: parametrisations in the forward pass
 *       (orthogonal by {@code expm(W − Wᵀ)} or Cayley);</li>
 *   <li>{@link io.structflow.constraints.project}: projectors run after each optimiser step
 *       (Björck, spectral-norm bounds for dense and convolutional operators, step boxes, the Euler
 *       bound (3.5), the non-expansive region R of (3.10), the flexible-switching bounds of
 *       App. C);</li>
 *   <li>{@link io.structflow.constraints.regularize}: soft penalties (dense and convolutional
 *       orthogonality);</li>
 *   <li>{@link io.structflow.constraints.linalg}: the differentiable linear solve and the
 *       power-iteration norm estimators they use;</li>
 *   <li>{@link io.structflow.constraints.ConstraintReport}: every constraint of a model and its
 *       current violation, as a table.</li>
 * </ul>
 */
package io.structflow.constraints;
