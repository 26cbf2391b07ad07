package io.structflow.constraints.project;

import io.structflow.constraints.guarantee.EntriesWithin;
import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.internal.StoredValues;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;
import java.util.List;

/**
 * The box {@code lo ≤ h ≤ hi} for every entry of a step parameter (any shape), enforced by
 * clamping, the Euclidean projection onto the box. Examples: {@code 0 ≤ h ≤ 2} for a contractive
 * step with ‖A‖ ≤ 1 ([CMOSS] (3.5)), {@code h ≥ 0} for an expansive one (3.7), the bounds of
 * App. C. Either bound may be infinite. Bounds are rounded inward to the parameter's type, so the
 * stored result satisfies them exactly; idempotent, the identity inside.
 */
public final class StepBox implements Constraint {
    private final double lo;
    private final double hi;

    /**
     * @param lo lower bound (may be −∞)
     * @param hi upper bound ≥ lo (may be +∞)
     */
    public StepBox(double lo, double hi) {
        if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi || lo == Double.POSITIVE_INFINITY
                || hi == Double.NEGATIVE_INFINITY) {
            throw Messages.badArgument("StepBox", "bounds", "lo ≤ hi with lo < +∞ and hi > −∞", "[" + lo + ", " + hi + "]");
        }
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public String describe() {
        return lo + " ≤ h ≤ " + hi;
    }

    /** The lower bound. */
    public double lo() {
        return lo;
    }

    /** The upper bound. */
    public double hi() {
        return hi;
    }

    /** Every entry in {@code [lo, hi]}, exactly (bounds rounded inward before storing). */
    @Override
    public List<Guarantee> guarantees() {
        return List.of(new EntriesWithin(lo, hi));
    }

    @Override
    public void validate(Parameter p) {
        if (StoredValues.atLeast(lo, p.dtype()) > StoredValues.atMost(hi, p.dtype())) {
            throw Messages.badShape("StepBox", p, "a type with a value in [" + lo + ", " + hi + "] (" + p.dtype()
                    + " has none)");
        }
    }

    @Override
    public double violation(Parameter p) {
        double worst = 0;
        for (double h : StoredValues.read(p)) {
            worst = Math.max(worst, Math.max(lo - h, h - hi));
        }
        return worst;
    }

    @Override
    public void projectInPlace(Parameter p) {
        Messages.requireFinite(describe(), p);
        clampInPlace(p, lo, hi);
    }

    /** Clamps every entry into [lo, hi] (bounds rounded inward to p's type); writes only if something moved. */
    static void clampInPlace(Parameter p, double lo, double hi) {
        double l = StoredValues.atLeast(lo, p.dtype());
        double u = StoredValues.atMost(hi, p.dtype());
        double[] h = StoredValues.read(p);
        boolean moved = false;
        for (int i = 0; i < h.length; i++) {
            if (h[i] < lo) {
                h[i] = l;
                moved = true;
            } else if (h[i] > hi) {
                h[i] = u;
                moved = true;
            }
        }
        if (moved) {
            StoredValues.write(p, h);
        }
    }
}
