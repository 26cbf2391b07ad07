package io.structflow.constraints.project;

import io.structflow.constraints.guarantee.OperatorNormAtMost;
import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.linalg.ConvOperatorNorm;
import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.constraints.linalg.OperatorNorm;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;
import java.util.List;

/**
 * The operator-norm bound {@code ‖𝒜_W‖₂ ≤ c}, enforced by the rescaling
 * <pre>
 *   W ↦ W · c(1 − μ) / U(W)      when W is not certified inside,
 * </pre>
 * the matrix itself for dense weights, the padded convolution on {@code C×H×W} images for
 * kernels. The set is {@code {W : ‖𝒜_W‖₂ ≤ c(1 + relativeTolerance)}}.
 *
 * <p><b>Certified</b> (the default): membership is decided by a certified upper bound
 * {@code U(W) ≥ ‖𝒜_W‖₂} ({@link OperatorNorm#certifiedAtMost}, Gram iteration), never by an
 * estimate; a weight outside is rescaled by {@code c(1 − μ)/U}, μ = 1e-6, which lands strictly
 * inside, and the landing is certified on the stored values (rescaled again if rounding to the
 * parameter's type pushed it out). The constraint then guarantees
 * {@link OperatorNormAtMost}{@code (c(1 + relativeTolerance))}, and since a rescaling by a factor
 * ≤ 1 keeps every norm bound, it {@link #preserves} earlier ones. Deterministic, so idempotent.
 *
 * <p><b>Estimated</b> ({@link #estimated}): membership is decided by the warm-started power
 * iteration estimate (a lower bound), cheaper per step; it rescales to norm c as estimated and
 * guarantees nothing, so no property is derived from it: bounds then come from certified norms of
 * the current weights. Reference: Miyato et al., ICLR 2018; Sedghi, Gupta &amp; Long, "The
 * singular values of convolutional layers", ICLR 2019.
 */
public final class SpectralNormBound implements NormEstimatingConstraint {
    /** Relative margin μ by which a certified projection lands inside c. */
    static final double MARGIN = 1e-6;
    private static final int MAX_RESCALES = 8;
    private final double bound;
    private final OperatorNorm norm;
    private final double relativeTolerance;
    private final boolean certified;
    private double lastNorm = Double.NaN;

    /**
     * A certified bound.
     *
     * @param bound             c &gt; 0
     * @param norm              the operator (and its estimator, which holds a warm-start vector: one per parameter)
     * @param relativeTolerance slack of the set, ≥ 0 (it is part of the guarantee)
     */
    public SpectralNormBound(double bound, OperatorNorm norm, double relativeTolerance) {
        this("SpectralNormBound", bound, norm, relativeTolerance, true);
    }

    /** The same, with bad arguments reported under {@code owner} (the constraint built on this one). */
    SpectralNormBound(String owner, double bound, OperatorNorm norm, double relativeTolerance, boolean certified) {
        this.bound = Messages.positive(owner, "bound", bound);
        this.norm = norm;
        if (!(relativeTolerance >= 0) || !Double.isFinite(relativeTolerance)) {
            throw Messages.badArgument(owner, "relativeTolerance", "a finite value ≥ 0", relativeTolerance);
        }
        this.relativeTolerance = relativeTolerance;
        this.certified = certified;
    }

    /**
     * A bound whose membership test is the power-iteration estimate: cheaper, and it guarantees
     * nothing ({@link #guarantees()} is empty). The slack must exceed the estimate's accuracy.
     */
    public static SpectralNormBound estimated(double bound, OperatorNorm norm, double relativeTolerance) {
        return new SpectralNormBound("SpectralNormBound", bound, norm, relativeTolerance, false);
    }

    /** Certified {@code ‖W‖₂ ≤ c} for a dense {@code [out, in]} weight, no slack. */
    public static SpectralNormBound dense(double bound) {
        return new SpectralNormBound(bound, new DenseSpectralNorm(), 0);
    }

    /**
     * Certified {@code ‖conv2d(·, K)‖₂ ≤ c} for a kernel {@code [out, in, kH, kW]} acting with
     * {@code geometry} on {@code height × width} images, no slack.
     */
    public static SpectralNormBound convolution(double bound, ConvGeometry geometry, long height, long width) {
        return new SpectralNormBound(bound, new ConvOperatorNorm(geometry, height, width), 0);
    }

    @Override
    public String describe() {
        return norm.describe() + " ≤ " + bound + (relativeTolerance == 0 ? "" : "·(1 + " + relativeTolerance + ")")
                + (certified ? " (certified)" : " (estimated)");
    }

    @Override
    public void validate(Parameter p) {
        norm.validate("SpectralNormBound", p);
    }

    @Override
    public double violation(Parameter p) {
        if (certified) {
            double u = norm.upperBound(p.value(), limit());
            if (u <= limit()) {
                return 0;
            }
            lastNorm = u;
            return Math.max(u - bound, Double.MIN_NORMAL);
        }
        double s = norm.estimate(p.value());
        lastNorm = s;
        return outside(s) ? s - bound : 0;
    }

    @Override
    public void projectInPlace(Parameter p) {
        Messages.requireFinite(describe(), p);
        if (!certified) {
            double s = norm.estimate(p.value());
            lastNorm = s;
            if (outside(s)) {
                p.updateInPlace(p.value().mul(bound / s));
            }
            return;
        }
        double u = norm.upperBound(p.value(), limit());
        if (u <= limit()) {
            return;
        }
        lastNorm = u;
        for (int i = 0; i < MAX_RESCALES; i++) {
            p.updateInPlace(p.value().mul(bound * (1 - MARGIN) / u));
            u = norm.upperBound(p.value(), bound);
            if (u <= bound) {
                return;
            }
        }
        throw new ArithmeticException(describe() + ": parameter " + p.name() + " could not be certified inside after "
                + MAX_RESCALES + " rescalings (bound " + u + ")");
    }

    /** {@code c(1 + relativeTolerance)}, the largest norm inside the set. */
    private double limit() {
        return bound * (1 + relativeTolerance);
    }

    /** Whether an estimated norm lies outside the set {@code ‖𝒜_W‖₂ ≤ c(1 + relativeTolerance)}. */
    boolean outside(double estimatedNorm) {
        return estimatedNorm > limit();
    }

    /** Whether membership is decided by a certified bound. */
    public boolean certified() {
        return certified;
    }

    @Override
    public List<Guarantee> guarantees() {
        return certified ? List.of(new OperatorNormAtMost(norm.describe(), limit())) : List.of();
    }

    /** Rescaling by a factor ≤ 1 keeps every operator-norm bound of W. */
    @Override
    public boolean preserves(Guarantee earlier) {
        return earlier instanceof OperatorNormAtMost;
    }

    /** The bound c. */
    double bound() {
        return bound;
    }

    /** The norm estimated (or, certified, bounded) by the last call that looked at it, NaN before. */
    public double lastNorm() {
        return lastNorm;
    }

    /** The estimator (for its iteration count). */
    @Override
    public OperatorNorm norm() {
        return norm;
    }
}
