package io.structflow.constraints.project;

import io.structflow.constraints.guarantee.NonExpansivePairs;
import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.internal.StoredValues;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.List;

/**
 * The step constraints of the flexible switching strategy, [CMOSS] App. C ((3.12)): for each
 * layer pair,
 * <pre>
 *   lo₁ ≤ h₁ ≤ hi₁   and   ( lo₂ ≤ h₂ ≤ 0   or   (h₁, h₂) ∈ R ),
 * </pre>
 * with App. C's values {@code lo₁ = 0.11, hi₁ = 1.9, lo₂ = −1.9} ({@link #appendixC}). A
 * non-positive h₂ turns the second step contractive too (step |h₂| &lt; 2 with ‖A‖ ≤ 1), so the
 * pair is 1-Lipschitz without R; a positive h₂ is allowed only inside the non-expansive region R
 * of {@link NonExpansiveStepRegion} ((3.10), slope a, S sub-steps). The paper's strict
 * inequalities {@code 0.11 < h₁ < 1.9}, {@code −1.9 < h₂} are enforced as the closed bounds with
 * the same end points (a projection needs a closed set; the end points are themselves safe,
 * being below 2).
 *
 * <p>Layout as {@link NonExpansiveStepRegion}: shape {@code [2]} or {@code [pairs, 2]} of
 * (h₁, h₂). Projection: the nearer of the box projection (clamping) and the nearest point of
 * {@code R ∩ {lo₁ ≤ h₁ ≤ hi₁}}, rounded inward to the parameter's type; idempotent and the
 * identity inside.
 */
public final class FlexibleSwitchingRegion implements Constraint {
    private final NonExpansiveStepRegion region;
    private final double lo1;
    private final double hi1;
    private final double lo2;
    private final Hypograph strip;

    /**
     * @param region R (slope a, sub-steps S)
     * @param lo1    least contractive step, lo₁ ≤ hi₁
     * @param hi1    largest contractive step
     * @param lo2    least (most negative) second step, ≤ 0
     */
    public FlexibleSwitchingRegion(NonExpansiveStepRegion region, double lo1, double hi1, double lo2) {
        if (!Double.isFinite(lo1) || !Double.isFinite(hi1) || lo1 > hi1) {
            throw Messages.badArgument("FlexibleSwitchingRegion", "h₁ bounds", "finite lo₁ ≤ hi₁", "[" + lo1 + ", " + hi1 + "]");
        }
        if (!Double.isFinite(lo2) || lo2 > 0) {
            throw Messages.badArgument("FlexibleSwitchingRegion", "lo₂", "a finite value ≤ 0", lo2);
        }
        this.region = region;
        this.lo1 = lo1;
        this.hi1 = hi1;
        this.lo2 = lo2;
        boolean meets = Math.max(lo1, 0) <= Math.min(hi1, region.maxContractiveStep());
        this.strip = meets ? region.strip(lo1, hi1) : null;
    }

    /** App. C: {@code 0.11 ≤ h₁ ≤ 1.9, −1.9 ≤ h₂ ≤ 0 or (h₁, h₂) ∈ R} with slope a and S sub-steps. */
    public static FlexibleSwitchingRegion appendixC(double a, int substeps) {
        return new FlexibleSwitchingRegion(new NonExpansiveStepRegion(a, substeps), 0.11, 1.9, -1.9);
    }

    /** Whether (h₁, h₂) satisfies the constraint. */
    public boolean contains(double h1, double h2) {
        return h1 >= lo1 && h1 <= hi1 && ((h2 >= lo2 && h2 <= 0) || region.contains(h1, h2));
    }

    /** The region R used for positive h₂. */
    public NonExpansiveStepRegion region() {
        return region;
    }

    private boolean inStrip(double h1, double h2) {
        return h1 >= lo1 && h1 <= hi1 && region.contains(h1, h2);
    }

    private final StepPairs.PairSet pairs = new StepPairs.PairSet() {
        @Override
        public boolean contains(double h1, double h2) {
            return FlexibleSwitchingRegion.this.contains(h1, h2);
        }

        @Override
        public double[] storedProjection(double h1, double h2, DataType type) {
            double[] box = {
                Math.min(Math.max(h1, StoredValues.atLeast(lo1, type)), StoredValues.atMost(hi1, type)),
                Math.min(Math.max(h2, StoredValues.atLeast(lo2, type)), 0)};
            if (strip == null) {
                return box;
            }
            double[] r = strip.storedNearest(h1, h2, type, FlexibleSwitchingRegion.this::inStrip);
            return Math.hypot(r[0] - h1, r[1] - h2) < Math.hypot(box[0] - h1, box[1] - h2) ? r : box;
        }
    };

    /** The Euclidean nearest point of the set to (h₁, h₂), rounded to float64 ((h₁, h₂) itself if inside). */
    public double[] project(double h1, double h2) {
        NonExpansiveStepRegion.requireFinite(h1, h2);
        return contains(h1, h2) ? new double[] {h1, h2} : pairs.storedProjection(h1, h2, DataType.DOUBLE);
    }

    /**
     * Every row non-expansive: inside R by (3.10), and with {@code h₂ ∈ [lo₂, 0]} as two contractive
     * steps of sub-step at most {@code max(hi₁, −lo₂)/S ≤ 2} (for {@code ‖A‖ ≤ 1}) — so the
     * guarantee holds only when {@code max(hi₁, −lo₂) ≤ 2S}, which App. C's values satisfy.
     */
    @Override
    public List<Guarantee> guarantees() {
        return Math.max(hi1, -lo2) <= 2.0 * region.substeps()
                ? List.of(new NonExpansivePairs(region.slope(), region.substeps())) : List.of();
    }

    @Override
    public String describe() {
        return lo1 + " ≤ h₁ ≤ " + hi1 + " and (" + lo2 + " ≤ h₂ ≤ 0 or (h₁, h₂) ∈ R, S = " + region.substeps()
                + ", a = " + region.slope() + ") (App. C)";
    }

    @Override
    public void validate(Parameter p) {
        StepPairs.validate("FlexibleSwitchingRegion", p);
    }

    @Override
    public double violation(Parameter p) {
        return StepPairs.violation(pairs, p);
    }

    @Override
    public void projectInPlace(Parameter p) {
        Messages.requireFinite(describe(), p);
        StepPairs.projectInPlace(pairs, p);
    }
}
