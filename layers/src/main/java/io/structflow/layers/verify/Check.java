package io.structflow.layers.verify;

/**
 * The outcome of one numerical property check.
 *
 * @param value       the measured quantity (a residual, or a Lipschitz ratio)
 * @param tolerance   the threshold it was compared with
 * @param passed      whether the property held to the tolerance
 * @param description what was measured, on how many samples, and the worst sample
 */
public record Check(double value, double tolerance, boolean passed, String description) {
    @Override
    public String toString() {
        return (passed ? "PASS " : "FAIL ") + description + ": " + value + " (tolerance " + tolerance + ")";
    }
}
