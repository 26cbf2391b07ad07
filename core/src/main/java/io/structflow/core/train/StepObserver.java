package io.structflow.core.train;

import io.structflow.core.data.Batch;

/**
 * Watches the optimiser steps of a {@link Trainer} (diagnostics: update sizes, the effect of the
 * constraint projections, activation scales). The trainer splits each step
 * {@code θ ← P_C(θ − Δ)} of {@link io.structflow.core.optim.Optimizer#step()} into its update and
 * its projection and calls, in order,
 * <pre>
 *   beforeUpdate     (the step's gradients are in every Parameter.grad())
 *   afterUpdate      (θ − Δ, not yet projected)
 *   afterProjection  (P_C(θ − Δ), the parameters the next step starts from)
 * </pre>
 * The same arithmetic runs as without an observer, so training is unchanged as long as an
 * observer changes no parameter, gradient or optimiser state (it may run forward passes under
 * {@code GradMode.noGrad()}).
 */
public interface StepObserver {
    /**
     * Where training is when an observer is called.
     *
     * @param epoch        zero-based epoch
     * @param step         zero-based global step (the count of steps before this one)
     * @param loss         the batch loss of this step
     * @param learningRate the rate the optimiser applies in this step
     * @param batch        the step's mini-batch
     */
    record TrainingStep(int epoch, long step, double loss, double learningRate, Batch batch) {
    }

    /** The gradients of {@code s} are computed; nothing has changed yet. */
    default void beforeUpdate(TrainingStep s) {
    }

    /** The optimiser's update was applied; the constraints have not been projected yet. */
    default void afterUpdate(TrainingStep s) {
    }

    /** Every constraint was projected: the step is complete. */
    default void afterProjection(TrainingStep s) {
    }
}
