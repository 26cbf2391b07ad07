package io.structflow.constraints.project;

import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.linalg.ConvOperatorNorm;
import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.constraints.linalg.OperatorNorm;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.nn.Parameter;

/**
 * The operator-norm bound {@code ‖𝒜_W‖₂ ≤ c}, enforced by the rescaling
 * <pre>
 *   W ↦ W / max(1, ‖𝒜_W‖₂ / c)
 * </pre>
 * with {@code ‖𝒜_W‖₂} estimated by warm-started power iteration ({@link OperatorNorm}): the
 * matrix itself for dense weights, the padded convolution on {@code C×H×W} images for kernels.
 * With {@code ‖A‖₂ ≤ 1} the gradient-flow layers {@code x ↦ x ∓ hAᵀσ(Ax + b)} of [CMOSS] (3.5) and
 * (3.7) have Lipschitz constants {@code ≤ 1} (for h ≤ 2) and {@code ≤ 1 + h}, and a linear head
 * is 1-Lipschitz. The set is {@code {W : ‖𝒜_W‖₂ ≤ c(1 + relativeTolerance)}}: inside it nothing
 * changes; outside, the weight is scaled to norm c (as estimated), so a second projection does
 * nothing. Power iteration approaches the norm from below, so the bound holds to the estimator's
 * accuracy (Ritz residual 1e-10 by default); the slack must exceed it, else a re-estimate could
 * move a point the previous projection left on the boundary. Reference: Miyato et al., ICLR 2018; Sedghi, Gupta &amp; Long, "The singular values
 * of convolutional layers", ICLR 2019.
 */
public final class SpectralNormBound implements NormEstimatingConstraint {
    private final double bound;
    private final OperatorNorm norm;
    private final double relativeTolerance;
    private double lastNorm = Double.NaN;

    /**
     * @param bound             c &gt; 0
     * @param norm              the estimator (holds the warm-start vector: one per parameter)
     * @param relativeTolerance slack of the set, ≥ 0, e.g. 1e-6
     */
    public SpectralNormBound(double bound, OperatorNorm norm, double relativeTolerance) {
        this("SpectralNormBound", bound, norm, relativeTolerance);
    }

    /** The same, with bad arguments reported under {@code owner} (the constraint built on this one). */
    SpectralNormBound(String owner, double bound, OperatorNorm norm, double relativeTolerance) {
        this.bound = Messages.positive(owner, "bound", bound);
        this.norm = norm;
        if (!(relativeTolerance >= 0) || !Double.isFinite(relativeTolerance)) {
            throw Messages.badArgument(owner, "relativeTolerance", "a finite value ≥ 0", relativeTolerance);
        }
        this.relativeTolerance = relativeTolerance;
    }

    /** {@code ‖W‖₂ ≤ c} for a dense {@code [out, in]} weight, relative slack 1e-6. */
    public static SpectralNormBound dense(double bound) {
        return new SpectralNormBound(bound, new DenseSpectralNorm(), 1e-6);
    }

    /**
     * {@code ‖conv2d(·, K)‖₂ ≤ c} for a kernel {@code [out, in, kH, kW]} acting with {@code geometry}
     * on {@code height × width} images, relative slack 1e-6.
     */
    public static SpectralNormBound convolution(double bound, ConvGeometry geometry, long height, long width) {
        return new SpectralNormBound(bound, new ConvOperatorNorm(geometry, height, width), 1e-6);
    }

    @Override
    public String describe() {
        return norm.describe() + " ≤ " + bound;
    }

    @Override
    public void validate(Parameter p) {
        norm.validate("SpectralNormBound", p);
    }

    @Override
    public double violation(Parameter p) {
        double s = norm.estimate(p.value());
        lastNorm = s;
        return outside(s) ? s - bound : 0;
    }

    @Override
    public void projectInPlace(Parameter p) {
        Messages.requireFinite(describe(), p);
        double s = norm.estimate(p.value());
        lastNorm = s;
        if (outside(s)) {
            p.updateInPlace(p.value().mul(bound / s));
        }
    }

    /** Whether an estimated norm lies outside the set {@code ‖𝒜_W‖₂ ≤ c(1 + relativeTolerance)}. */
    boolean outside(double estimatedNorm) {
        return estimatedNorm > bound * (1 + relativeTolerance);
    }

    /** The bound c. */
    double bound() {
        return bound;
    }

    /** The norm estimated by the last call (before rescaling), NaN before the first. */
    public double lastNorm() {
        return lastNorm;
    }

    /** The estimator (for its iteration count). */
    @Override
    public OperatorNorm norm() {
        return norm;
    }
}
