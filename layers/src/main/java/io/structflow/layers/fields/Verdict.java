package io.structflow.layers.fields;

/**
 * Whether a property holds for a (field, integrator, step) combination, with the reason.
 *
 * @param holds  true when the property is guaranteed
 * @param reason why it holds, or why it cannot (the text {@code FlowLayer.require} reports)
 */
public record Verdict(boolean holds, String reason) {
    /** A property that holds, and why. */
    public static Verdict yes(String reason) {
        return new Verdict(true, reason);
    }

    /** A property that cannot be guaranteed, and why. */
    public static Verdict no(String reason) {
        return new Verdict(false, reason);
    }
}
