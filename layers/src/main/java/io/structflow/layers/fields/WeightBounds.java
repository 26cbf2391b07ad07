package io.structflow.layers.fields;

/**
 * Certified bounds of a gradient field's operator 𝒜: {@code ‖𝒜‖₂ ≤ normUpper} and
 * {@code ‖𝒜x‖ ≥ inputSingularLower·‖x‖} for every input x (0 when 𝒜 has a kernel or nothing is
 * known), with where they come from, for messages.
 *
 * @param normUpper          upper bound of the operator norm (+∞ when unknown)
 * @param inputSingularLower lower bound of the smallest singular value on the input space, ≥ 0
 * @param origin             e.g. {@code "A = expm(W − Wᵀ) (orthonormal columns)"}
 */
public record WeightBounds(double normUpper, double inputSingularLower, String origin) {
    /** Nothing known. */
    public static WeightBounds unknown() {
        return new WeightBounds(Double.POSITIVE_INFINITY, 0, "no norm guarantee");
    }
}
