package io.structflow.constraints.guarantee;

import io.structflow.core.nn.Guarantee;

/**
 * The linear map a weight's effective value defines is orthogonal, exactly in exact arithmetic:
 * {@code ‖𝒜x‖ = ‖x‖} for every input and {@code 𝒜ᵀ = 𝒜⁻¹}, so {@code ‖𝒜‖₂ = 1} and its least
 * singular value is 1. What an orthogonal parametrisation of an operator other than the matrix
 * itself gives for every raw value, e.g. an orthogonal circular convolution.
 *
 * @param operator which map of the weight ({@code describe()} of the operator, as for
 *                 {@link OperatorNormAtMost})
 */
public record OrthogonalOperator(String operator) implements Guarantee {
    @Override
    public String describe() {
        return operator + " orthogonal, by construction";
    }
}
