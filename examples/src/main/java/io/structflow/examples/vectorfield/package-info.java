/**
 * The {@code vector-field} experiment of [CMOSS] App. A (Fig. 8): a vector field learned from
 * trajectory pairs as the sum of a gradient part and a sphere-preserving part, stepped by the
 * composition of a discrete gradient step and a norm-preserving explicit step and trained through
 * the discrete gradient's residual, so that training needs no nonlinear solve. The targets
 * ({@link io.structflow.examples.vectorfield.TargetField}), the network
 * ({@link io.structflow.examples.vectorfield.SplitFieldNetwork}), the protocol
 * ({@link io.structflow.examples.vectorfield.VectorFieldExperiment}) and arrow plots
 * ({@link io.structflow.examples.vectorfield.Quiver}).
 */
package io.structflow.examples.vectorfield;
