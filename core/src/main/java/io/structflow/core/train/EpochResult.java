package io.structflow.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one finished epoch.
 *
 * @param epoch   zero-based epoch index
 * @param step    optimiser steps taken since the start of training (across resumes)
 * @param metrics {@code loss} (example-weighted mean of the batch losses, accumulated in
 *                double), {@code lr}, and whatever the callbacks added (an unmodifiable copy)
 */
public record EpochResult(int epoch, long step, Map<String, Double> metrics) {
    /** Copies the metrics. */
    public EpochResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The epoch's mean training loss. */
    public double loss() {
        return metrics.get("loss");
    }
}
