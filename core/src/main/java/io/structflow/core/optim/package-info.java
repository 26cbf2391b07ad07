/**
 * Optimisers and learning-rate schedules.
 *
 * <p>An {@link io.structflow.core.optim.Optimizer} updates every parameter that has a gradient,
 * in place (the parameter's storage keeps its identity), then applies every parameter's
 * constraints in the order they were attached — the projected gradient step that keeps a
 * network inside the parameter set where its guarantee holds ([CMOSS] §3.1, the step sizes
 * projected onto the region (3.10) after each update). Hyper-parameters are immutable records
 * ({@link io.structflow.core.optim.Sgd.Config}, {@link io.structflow.core.optim.Adam.Config});
 * the state (momentum buffers, moment estimates, step counters) lives in the optimiser and can
 * be saved and restored by name for checkpoints.
 *
 * <p>Schedules ({@link io.structflow.core.optim.LearningRateSchedule}) map an epoch to a rate:
 * {@link io.structflow.core.optim.StepDecay}, {@link io.structflow.core.optim.MultiStepDecay},
 * {@link io.structflow.core.optim.CosineAnnealing}.
 */
package io.structflow.core.optim;
