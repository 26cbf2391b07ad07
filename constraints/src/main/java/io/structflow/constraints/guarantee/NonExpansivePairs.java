package io.structflow.constraints.guarantee;

import io.structflow.core.nn.Guarantee;

/**
 * Every row (h₁, h₂) of a step-pair parameter makes the pair "S explicit Euler sub-steps of
 * {@code −Aᵀσ(Ax+b)} with step h₁/S, then S of {@code +A'ᵀσ(A'x+b')} with step h₂/S"
 * non-expansive, whenever A and A' have orthonormal columns exactly and σ' ∈ [slope, 1]
 * ([CMOSS] (3.10), and App. C for the flexible set whose rows with h₂ ≤ 0 are two contractive
 * steps). Membership is decided in double precision on the stored values.
 *
 * @param slope    the least activation slope a the set was built for, 0 &lt; a ≤ 1
 * @param substeps the number of sub-steps S
 */
public record NonExpansivePairs(double slope, int substeps) implements Guarantee {
    @Override
    public String describe() {
        return "every step pair non-expansive for orthonormal A with σ' ∈ [" + slope + ", 1], S = " + substeps;
    }
}
