package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;

/**
 * Projected gradient descent for {@code min ½‖Ax − y‖²} subject to a box constraint
 * {@code lo ≤ x ≤ hi}:
 * <pre>
 *   xₖ₊₁ = P_box(xₖ − τAᵀ(Axₖ − y)),        0 &lt; τ &lt; 2/L,  L = ‖A‖₂²,
 * </pre>
 * proximal gradient with g the indicator of the box ({@link Box}), so the objective decreases
 * monotonically for {@code τ < 2/L} (see {@link ProximalGradient}). With {@link Box#unit()} the
 * iterates stay valid images. Cost per iteration: one A, one Aᵀ, one clip.
 */
public final class ProjectedGradient {
    private final ProximalGradient method;
    private final Box box;

    /**
     * @param f   the data term
     * @param box the constraint set
     * @param tau step τ &gt; 0 (converges for τ &lt; 2/L)
     */
    public ProjectedGradient(DataFidelity f, Box box, double tau) {
        this.method = new ProximalGradient(f, box, tau);
        this.box = box;
    }

    /** The constraint set. */
    public Box box() {
        return box;
    }

    /** Iterates from {@code x0} (not mutated); see {@link ProximalGradient#run(Tensor, IterationSettings)}. */
    public Reconstruction run(Tensor x0, IterationSettings settings) {
        return method.run(x0, settings);
    }

    /** Iterates from {@code x0}, recording PSNR against {@code reference} (or none if null). */
    public Reconstruction run(Tensor x0, IterationSettings settings, Tensor reference, double peak) {
        return method.run(x0, settings, reference, peak);
    }
}
