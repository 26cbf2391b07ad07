/**
 * The {@code approximate} experiment of [CMOSS] App. A (Fig. 7): scalar functions approximated by
 * a lift, a composition of gradient flows and sphere-preserving flows (Thm 2.2), and a linear
 * projection — the targets ({@link io.structflow.examples.approximation.Target}), the network
 * ({@link io.structflow.examples.approximation.FlowApproximator}) and the training and evaluation
 * protocol ({@link io.structflow.examples.approximation.ApproximationExperiment}).
 */
package io.structflow.examples.approximation;
