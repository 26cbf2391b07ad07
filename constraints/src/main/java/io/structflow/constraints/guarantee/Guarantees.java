package io.structflow.constraints.guarantee;

import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;

/**
 * Reading a parameter's guarantees ({@link Parameter#guarantees()}: every constraint's, combined
 * in the order they run) as the numbers a property rule needs.
 */
public final class Guarantees {
    private Guarantees() {
    }

    /**
     * The least certified bound of {@code ‖𝒜_W‖₂} that the guarantees of {@code weight}'s effective
     * value ({@link Parameter#effectiveGuarantees()}: its parametrisation's, else its constraints')
     * imply for the operator named {@code operator} ({@code OperatorNorm.describe()}); for the matrix
     * itself ({@code dense}) orthonormality counts too. {@code +∞} when nothing is guaranteed.
     *
     * @param dense whether the operator is the matrix W itself (so {@link NearlyOrthonormal} applies)
     */
    public static double normBound(Parameter weight, String operator, boolean dense) {
        double c = Double.POSITIVE_INFINITY;
        for (Guarantee g : weight.effectiveGuarantees()) {
            if (g instanceof OperatorNormAtMost n && n.operator().equals(operator)) {
                c = Math.min(c, n.bound());
            } else if (g instanceof OrthogonalOperator o && o.operator().equals(operator)) {
                c = Math.min(c, 1);
            } else if (dense && g instanceof Orthonormal && weight.rank() == 2) {
                c = Math.min(c, 1);
            } else if (dense && g instanceof NearlyOrthonormal o && weight.rank() == 2) {
                c = Math.min(c, o.normBound(weight.size(0), weight.size(1)));
            }
        }
        return c;
    }

    /**
     * A lower bound of {@code √λ_min(WᵀW)} for a dense weight {@code [m, n]} acting on
     * {@code n}-vectors (0 when W is wide, since then WᵀW is singular), from (near-)orthonormality
     * of its effective value; 0 when nothing is guaranteed.
     */
    public static double inputSingularValueBound(Parameter weight) {
        if (weight.rank() != 2 || weight.size(0) < weight.size(1)) {
            return 0;
        }
        double l = 0;
        for (Guarantee g : weight.effectiveGuarantees()) {
            if (g instanceof Orthonormal) {
                l = 1;
            } else if (g instanceof NearlyOrthonormal o) {
                l = Math.max(l, o.smallestSingularValueBound(weight.size(0), weight.size(1)));
            }
        }
        return l;
    }

    /**
     * A lower bound of the least singular value of the operator named {@code operator} that the
     * guarantees of {@code weight}'s effective value imply: 1 when it is orthogonal
     * ({@link OrthogonalOperator}), else 0.
     */
    public static double operatorSingularValueBound(Parameter weight, String operator) {
        for (Guarantee g : weight.effectiveGuarantees()) {
            if (g instanceof OrthogonalOperator o && o.operator().equals(operator)) {
                return 1;
            }
        }
        return 0;
    }

    /** The interval {@code [lo, hi]} every entry of {@code p} is guaranteed to lie in ({@code [−∞, ∞]} if none). */
    public static double[] entryInterval(Parameter p) {
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        for (Guarantee g : p.guarantees()) {
            if (g instanceof EntriesWithin e) {
                lo = Math.max(lo, e.lo());
                hi = Math.min(hi, e.hi());
            }
        }
        return new double[] {lo, hi};
    }
}
