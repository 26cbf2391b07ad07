package io.structflow.constraints.guarantee;

import io.structflow.core.nn.Guarantee;

/**
 * Every entry of the parameter lies in {@code [lo, hi]} (either end may be infinite), exactly:
 * the bounds are rounded inward to the parameter's type before values are stored.
 *
 * @param lo lower bound
 * @param hi upper bound ≥ lo
 */
public record EntriesWithin(double lo, double hi) implements Guarantee {
    @Override
    public String describe() {
        return lo + " ≤ every entry ≤ " + hi;
    }
}
