package io.structflow.constraints.project;

import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.linalg.OperatorNorm;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The operator-norm bound {@code ‖𝒜_W‖₂ ≤ c}, enforced by removing the excess of the largest
 * singular value along its own singular pair (u, v) instead of shrinking every singular value:
 * <pre>
 *   W ↦ W − (σ₁ − c) · G / ‖G‖²,     G = ∂σ₁/∂W = ∂⟨u, 𝒜_W v⟩/∂W
 * </pre>
 * For a matrix {@code G = u vᵀ}, ‖G‖ = 1, and the step sets σ₁ to c and leaves every other
 * singular pair alone: when only σ₁ exceeds c it is the Euclidean projection onto the ball
 * (singular-value clipping; Sedghi, Gupta &amp; Long, ICLR 2019, clip all singular values of a
 * convolution through its Fourier blocks). For a convolution, {@code 𝒜} is linear in the kernel,
 * so {@code ⟨u, 𝒜_{W−ηG} v⟩ = σ₁ − η‖G‖² = c}: the step removes the excess along (u, v) to first
 * order. After each step the norm is estimated again (warm-started); up to {@code maxClips}
 * steps are taken while it exceeds {@code c(1 + relativeTolerance)} (the next singular value may
 * exceed c too), and then, if it still does, the rescaling of {@link SpectralNormBound}, so that
 * every projection ends inside the set. The final membership test and its guarantee are those of
 * {@link SpectralNormBound}: certified by default, so the clipped top singular value (exactly c as
 * estimated) is then rescaled by a further factor {@code 1 − O(1e-6)} to be certified inside.
 *
 * <p>Why not rescale alone: Adam moves every coordinate by about the learning rate, so a kernel
 * whose top singular value is pushed up grows in norm by about lr·√(entries) per step, and
 * rescaling then shrinks all other singular values by the same factor every step; clipping
 * leaves the other singular values to the gradient (the denoiser's measurements are in
 * {@code docs/experiments/denoise.md}).
 */
public final class SpectralNormClip implements NormEstimatingConstraint {
    private final SpectralNormBound rescaling;
    private final int maxClips;
    private double lastNorm = Double.NaN;

    /**
     * @param bound             c &gt; 0
     * @param norm              the estimator (holds the warm-start vector: one per parameter)
     * @param relativeTolerance slack of the set, ≥ 0; it must exceed the estimate's accuracy
     * @param maxClips          clipping steps per projection before falling back to rescaling, ≥ 1
     */
    public SpectralNormClip(double bound, OperatorNorm norm, double relativeTolerance, int maxClips) {
        this(bound, norm, relativeTolerance, maxClips, true);
    }

    private SpectralNormClip(double bound, OperatorNorm norm, double relativeTolerance, int maxClips,
                             boolean certified) {
        this.rescaling = new SpectralNormBound("SpectralNormClip", bound, norm, relativeTolerance, certified);
        this.maxClips = Messages.atLeastOne("SpectralNormClip", "maxClips", maxClips);
    }

    /**
     * Clipping whose final membership test is the estimate ({@link SpectralNormBound#estimated}):
     * cheaper per step, and it guarantees nothing.
     */
    public static SpectralNormClip estimated(double bound, OperatorNorm norm, double relativeTolerance, int maxClips) {
        return new SpectralNormClip(bound, norm, relativeTolerance, maxClips, false);
    }

    @Override
    public String describe() {
        return rescaling.describe() + " (top singular values clipped)";
    }

    @Override
    public void validate(Parameter p) {
        rescaling.norm().validate("SpectralNormClip", p);
    }

    @Override
    public double violation(Parameter p) {
        double v = rescaling.violation(p);
        lastNorm = rescaling.lastNorm();
        return v;
    }

    @Override
    public void projectInPlace(Parameter p) {
        Messages.requireFinite(describe(), p);
        OperatorNorm norm = rescaling.norm();
        double s = norm.estimate(p.value());
        lastNorm = s;
        for (int i = 0; i < maxClips && rescaling.outside(s); i++) {
            INDArray g = norm.singularValueGradient(p.value());
            double squared = g.castTo(DataType.DOUBLE).norm2Number().doubleValue();
            squared *= squared;
            if (!(squared > 0)) {
                break;
            }
            p.updateInPlace(p.value().sub(g.mul((s - rescaling.bound()) / squared)));
            norm.refreshWarmStart();   // v is now a singular vector of value c: look beyond it
            s = norm.estimate(p.value());
        }
        rescaling.projectInPlace(p);
    }

    /** Those of the final rescaling: certified, or none. */
    @Override
    public List<Guarantee> guarantees() {
        return rescaling.guarantees();
    }

    /** The norm estimated first by the last call (before any change), NaN before the first. */
    public double lastNorm() {
        return lastNorm;
    }

    /** The estimator (for its iteration count). */
    @Override
    public OperatorNorm norm() {
        return rescaling.norm();
    }
}
