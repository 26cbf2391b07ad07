package io.structflow.core.train;

import io.structflow.core.nn.Module;
import java.util.Map;

/**
 * Called by the {@link Trainer} at the end of every epoch, after the last update and before the
 * metrics are logged and the checkpoint is written; may add metrics (test accuracy, a
 * Lipschitz bound, a constraint violation) that then appear in the metrics log.
 */
@FunctionalInterface
public interface Callback {
    /**
     * @param epoch   zero-based index of the epoch that just ended
     * @param model   the trained model (evaluate it under {@code GradMode.noGrad()})
     * @param metrics the epoch's metrics so far ({@code loss}, {@code lr}); put new entries here
     */
    void onEpochEnd(int epoch, Module model, Map<String, Double> metrics);
}
