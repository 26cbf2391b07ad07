package io.structflow.constraints.guarantee;

import io.structflow.core.nn.Guarantee;

/**
 * {@code ‖𝒜_W‖₂ ≤ bound} for the linear operator named {@code operator} (the
 * {@link io.structflow.constraints.linalg.OperatorNorm#describe()} of the estimator that certified
 * it: the matrix itself, or a padded convolution on a given image size), certified by an upper
 * bound ({@link io.structflow.constraints.linalg.OperatorNorm#certifiedAtMost}), never by an
 * estimate. The bound includes the constraint's relative tolerance.
 *
 * @param operator which operator of W is bounded
 * @param bound    the bound, &gt; 0
 */
public record OperatorNormAtMost(String operator, double bound) implements Guarantee {
    @Override
    public String describe() {
        return operator + " ≤ " + bound + " (certified)";
    }
}
