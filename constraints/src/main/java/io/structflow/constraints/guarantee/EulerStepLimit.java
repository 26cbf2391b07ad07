package io.structflow.constraints.guarantee;

import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;

/**
 * Every entry τ of the step satisfies {@code 0 ≤ τ ≤ factor · 2/‖𝒜_A‖₂²} for the weight
 * {@code weight} as it was when the constraint ran, with {@code ‖𝒜_A‖₂} replaced by a certified
 * upper bound ([CMOSS] (3.5)). It keeps holding while the weight only shrinks, which is the case
 * when the weight's own constraints run before the step's (the optimiser projects parameters in
 * the model's order, and a layer registers its field before its step).
 *
 * @param weight   the weight A whose norm bounds the step (compared by identity)
 * @param operator which operator of A is meant ({@code OperatorNorm.describe()})
 * @param factor   {@code 1 + relativeTolerance} of the constraint, ≥ 1
 */
public record EulerStepLimit(Parameter weight, String operator, double factor) implements Guarantee {
    @Override
    public String describe() {
        return "0 ≤ τ ≤ " + (factor == 1 ? "" : factor + "·") + "2/‖A‖², A = " + weight.name() + " (" + operator + ")";
    }
}
