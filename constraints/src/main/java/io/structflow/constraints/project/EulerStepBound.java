package io.structflow.constraints.project;

import io.structflow.constraints.guarantee.EulerStepLimit;
import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.internal.StoredValues;
import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.constraints.linalg.OperatorNorm;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;
import java.util.List;

/**
 * The step bound of the explicit Euler step of a contractive gradient field, [CMOSS] (3.5):
 * <pre>
 *   x ↦ x − τ Aᵀσ(Ax + b)   is 1-Lipschitz when   0 ≤ τ ≤ 2 / ‖A‖₂²
 * </pre>
 * for σ non-decreasing with slope at most 1 (its Jacobian {@code I − τAᵀDA}, 0 ≤ D ≤ I, is
 * symmetric with spectrum in {@code [1 − τ‖A‖², 1]}). This constraint sits on the step parameter
 * τ (any shape: every entry is bounded) and reads the weight parameter A, whose norm it bounds
 * from above with a certified bound U ({@link OperatorNorm#upperBound}, never an estimate) at each
 * projection; it clamps τ into {@code [0, (2/U²)(1 + relativeTolerance)]}, rounded inward to τ's
 * type. Negative steps are excluded because they turn the field expansive. The bound is
 * deterministic in A, so the projection is idempotent. It guarantees {@link EulerStepLimit} with
 * factor {@code 1 + relativeTolerance} (default 0: exactly {@code τ ≤ 2/‖A‖²}); that holds while
 * A does not grow after this constraint ran, so A's own constraints must run first (they do in
 * a {@code FlowLayer}, which registers its field before its step).
 */
public final class EulerStepBound implements NormEstimatingConstraint {
    private final Parameter weight;
    private final OperatorNorm norm;
    private final double relativeTolerance;
    private double lastUpperBound = Double.NaN;

    /** For a dense weight A {@code [out, in]}, no slack. */
    public EulerStepBound(Parameter weight) {
        this(weight, new DenseSpectralNorm(), 0);
    }

    /**
     * @param weight the weight A the step multiplies (read, never written)
     * @param norm   the operator A defines (dense, or a convolution via
     *               {@link io.structflow.constraints.linalg.ConvOperatorNorm})
     * @param relativeTolerance slack of the set, ≥ 0
     */
    public EulerStepBound(Parameter weight, OperatorNorm norm, double relativeTolerance) {
        this.weight = weight;
        this.norm = norm;
        norm.validate("EulerStepBound", weight);
        if (!(relativeTolerance >= 0) || !Double.isFinite(relativeTolerance)) {
            throw Messages.badArgument("EulerStepBound", "relativeTolerance", "a finite value ≥ 0", relativeTolerance);
        }
        this.relativeTolerance = relativeTolerance;
    }

    @Override
    public String describe() {
        return "0 ≤ τ ≤ 2/‖A‖², A = " + weight.name() + " (" + norm.describe() + "; Euler, (3.5))";
    }

    @Override
    public void validate(Parameter p) {
        if (p == weight) {
            throw Messages.badShape("EulerStepBound", p, "a step parameter, not the weight " + weight.name()
                    + " whose norm bounds it");
        }
    }

    /** The admissible upper bound 2/U² at the weight's current value, U ≥ ‖A‖ certified (+∞ when A = 0). */
    public double upperBound() {
        double s = norm.upperBound(weight.value());
        lastUpperBound = s == 0 ? Double.POSITIVE_INFINITY : 2 / (s * s);
        return lastUpperBound;
    }

    /** The bound computed by the last call, NaN before the first. */
    public double lastUpperBound() {
        return lastUpperBound;
    }

    /** The weight A whose norm bounds the step. */
    public Parameter weight() {
        return weight;
    }

    @Override
    public List<Guarantee> guarantees() {
        return List.of(new EulerStepLimit(weight, norm.describe(), 1 + relativeTolerance));
    }

    @Override
    public double violation(Parameter p) {
        double hi = upperBound();
        double worst = 0;
        for (double h : StoredValues.read(p)) {
            worst = Math.max(worst, Math.max(-h, h - hi * (1 + relativeTolerance)));
        }
        return worst;
    }

    @Override
    public void projectInPlace(Parameter p) {
        Messages.requireFinite(describe(), p);
        weight.requireFinite("read by EulerStepBound on " + p.name());
        double hi = upperBound();
        double[] h = StoredValues.read(p);
        double top = StoredValues.atMost(hi * (1 + relativeTolerance), p.dtype());
        boolean moved = false;
        for (int i = 0; i < h.length; i++) {
            if (h[i] < 0) {
                h[i] = 0;
                moved = true;
            } else if (h[i] > hi * (1 + relativeTolerance)) {
                h[i] = top;
                moved = true;
            }
        }
        if (moved) {
            StoredValues.write(p, h);
        }
    }

    /** The estimator of ‖A‖₂ (for its iteration count). */
    @Override
    public OperatorNorm norm() {
        return norm;
    }
}
