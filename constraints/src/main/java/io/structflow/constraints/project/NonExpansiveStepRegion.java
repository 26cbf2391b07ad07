package io.structflow.constraints.project;

import io.structflow.constraints.guarantee.NonExpansivePairs;
import io.structflow.constraints.internal.Messages;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.List;

/**
 * The region R of step pairs (h₁, h₂) for which a contractive step followed by an expansive
 * step is non-expansive, [CMOSS] (3.10) and Fig. 3, with S sub-steps.
 *
 * <p><b>Derivation.</b> Let A be orthogonal (AᵀA = I) and σ have slope in [a, 1], 0 &lt; a ≤ 1
 * (LeakyReLU with slope a, for instance). The contractive Euler step
 * {@code Ψ_c(x) = x − h₁Aᵀσ(Ax + b)} has Jacobian {@code I − h₁AᵀDA}, a ≤ D ≤ I, so
 * {@code ‖Ψ_c(x) − Ψ_c(y)‖² ≤ (1 − 2h₁a + h₁²)‖x − y‖²}; the expansive step
 * {@code Ψ(x) = x + h₂Aᵀσ(Ax + b)} has Lipschitz constant {@code 1 + h₂}. Their composition (in
 * either order) has Lipschitz constant at most the product, hence (3.10):
 * <pre>
 *   (1 + h₂) · √(1 − 2h₁a + h₁²) ≤ 1,     h₁, h₂ ≥ 0.
 * </pre>
 * With S sub-steps each field is applied S times with steps h₁/S and h₂/S, so the pair has the
 * bound
 * <pre>
 *   L_S(h₁, h₂) = ((1 + h₂/S) · √(1 − 2(h₁/S)a + (h₁/S)²))^S ≤ 1,
 * </pre>
 * equivalently (h₁/S, h₂/S) ∈ R₁: {@code R_S = S·R₁}. R₁ is the set under the curve
 * {@code h₂ ≤ φ(h₁) = 1/√(1 − 2h₁a + h₁²) − 1} for {@code 0 ≤ h₁ ≤ 2a}, which is 0 at both ends and
 * largest, {@code 1/√(1 − a²) − 1}, at h₁ = a. Since {@code φ'' ≤ 0} exactly when
 * {@code 2(h₁ − a)² ≤ 1 − a²}, R is convex for every S iff {@code a ≤ 1/√3}; then φ is concave
 * with φ(0) = 0, so {@code S·φ(h₁/S) ≥ φ(h₁)} and {@code R₁ ⊆ R_S}, strictly: (2aS, 0) ∈ R_S
 * while R₁ stops at h₁ = 2a. (For a &gt; 1/√3 neither convexity nor the inclusion holds near
 * h₁ = 0; the projection below still returns a nearest point.)
 *
 * <p><b>Parameter layout.</b> One parameter of shape {@code [2]} or {@code [pairs, 2]}: each row
 * is (h₁, h₂) of one contractive/expansive pair. <b>Projection:</b> a pair in R is left alone; a
 * pair outside goes to its Euclidean nearest point of R (the closest point of the bottom edge
 * h₂ = 0 and of the boundary curve, by sampling and golden-section search), rounded into the
 * parameter's type and moved inward by a few units in the last place so that the stored pair is
 * in R; so the projection is idempotent and the identity on R. Cost: ~2300 evaluations of φ
 * per pair outside R.
 */
public final class NonExpansiveStepRegion implements Constraint {
    private final double a;
    private final int substeps;
    private final Hypograph region;

    /**
     * @param a        lower bound of the activation's slope, 0 &lt; a ≤ 1
     * @param substeps number of sub-steps S ≥ 1
     */
    public NonExpansiveStepRegion(double a, int substeps) {
        if (!(a > 0) || !(a <= 1)) {
            throw Messages.badArgument("NonExpansiveStepRegion", "slope a", "0 < a ≤ 1 (the activation's least slope)", a);
        }
        this.a = a;
        this.substeps = Messages.atLeastOne("NonExpansiveStepRegion", "substeps", substeps);
        this.region = new Hypograph(0, maxContractiveStep(), this::boundary);
    }

    /** Slope bound a. */
    public double slope() {
        return a;
    }

    /** Number of sub-steps S. */
    public int substeps() {
        return substeps;
    }

    /** Largest h₁ in R, 2aS (reached with h₂ = 0). */
    public double maxContractiveStep() {
        return 2 * a * substeps;
    }

    /** Lipschitz bound of one sub-step pair, {@code (1 + h₂/S)·√(1 − 2(h₁/S)a + (h₁/S)²)}. */
    public double substepFactor(double h1, double h2) {
        double t = h1 / substeps;
        return (1 + h2 / substeps) * Math.sqrt(1 - 2 * t * a + t * t);
    }

    /** Lipschitz bound L_S(h₁, h₂) of the whole pair (for h₁, h₂ ≥ 0). */
    public double lipschitzBound(double h1, double h2) {
        return Math.pow(substepFactor(h1, h2), substeps);
    }

    /** Whether (h₁, h₂) ∈ R: h₁ ≥ 0, h₂ ≥ 0 and the sub-step factor is ≤ 1. */
    public boolean contains(double h1, double h2) {
        return h1 >= 0 && h2 >= 0 && substepFactor(h1, h2) <= 1;
    }

    /** The upper boundary {@code h₂ = S·φ(h₁/S)} of R, for 0 ≤ h₁ ≤ 2aS (0 outside). */
    public double boundary(double h1) {
        if (h1 <= 0 || h1 >= maxContractiveStep()) {
            return 0;
        }
        double t = h1 / substeps;
        double root = Math.sqrt(1 - 2 * t * a + t * t);
        // 1/√q − 1 = (1 − q) / (√q (1 + √q)) with 1 − q = t(2a − t): no cancellation near the ends
        return substeps * t * (2 * a - t) / (root * (1 + root));
    }

    /** The Euclidean nearest point of R to (h₁, h₂), in double precision ((h₁, h₂) itself if inside). */
    public double[] project(double h1, double h2) {
        requireFinite(h1, h2);
        return contains(h1, h2) ? new double[] {h1, h2} : region.nearest(h1, h2);
    }

    Hypograph strip(double lo, double hi) {
        return new Hypograph(Math.max(lo, 0), Math.min(hi, maxContractiveStep()), this::boundary);
    }

    private final StepPairs.PairSet pairs = new StepPairs.PairSet() {
        @Override
        public boolean contains(double h1, double h2) {
            return NonExpansiveStepRegion.this.contains(h1, h2);
        }

        @Override
        public double[] storedProjection(double h1, double h2, DataType type) {
            return region.storedNearest(h1, h2, type, NonExpansiveStepRegion.this::contains);
        }
    };

    /** Every row non-expansive, (3.10) with slope a and S sub-steps. */
    @Override
    public List<Guarantee> guarantees() {
        return List.of(new NonExpansivePairs(a, substeps));
    }

    @Override
    public String describe() {
        return "(h₁, h₂) ∈ R: ((1 + h₂/" + substeps + ")·√(1 − 2(h₁/" + substeps + ")·" + a + " + (h₁/" + substeps
                + ")²))^" + substeps + " ≤ 1 ((3.10), S = " + substeps + ")";
    }

    @Override
    public void validate(Parameter p) {
        StepPairs.validate("NonExpansiveStepRegion", p);
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

    static void requireFinite(double h1, double h2) {
        if (!Double.isFinite(h1) || !Double.isFinite(h2)) {
            throw new ArithmeticException("step region: (h₁, h₂) expected finite but got (" + h1 + ", " + h2 + ")");
        }
    }
}
