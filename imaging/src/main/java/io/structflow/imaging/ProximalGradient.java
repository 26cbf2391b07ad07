package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;

/**
 * Proximal gradient (forward–backward splitting) for {@code min_x f(x) + g(x)} with
 * {@code f(x) = ½‖Ax − y‖²} and a convex g given by its prox:
 * <pre>
 *   xₖ₊₁ = prox_{τg}(xₖ − τ∇f(xₖ)),        0 &lt; τ &lt; 2/L,  L = ‖A‖₂².
 * </pre>
 * For {@code τ < 2/L} the objective decreases monotonically,
 * {@code F(xₖ₊₁) ≤ F(xₖ) − (1/τ − L/2)‖xₖ₊₁ − xₖ‖²}, and the iterates converge to a minimiser
 * (the map is averaged); for τ well above 2/L the gradient step expands along the top singular
 * vector of A by {@code |1 − τL| > 1} and the iteration can diverge. The step is not checked
 * against 2/L here, because L is costly ({@link DataFidelity#lipschitzOfGradient}); use
 * {@link #stepBound}. Runs without recording a graph. Cost per iteration: one A, one Aᵀ, one prox.
 * Reference: Combettes &amp; Wajs, Multiscale Model. Simul. 4 (2005) 1168–1200,
 * doi:10.1137/050626090; Beck &amp; Teboulle, SIAM J. Imaging Sci. 2 (2009) 183–202,
 * doi:10.1137/080716542.
 */
public final class ProximalGradient {
    private final DataFidelity f;
    private final Prox g;
    private final double tau;

    /**
     * @param f   the data term
     * @param g   the regulariser, by its prox
     * @param tau step τ &gt; 0 (converges for τ &lt; 2/L)
     */
    public ProximalGradient(DataFidelity f, Prox g, double tau) {
        if (f == null || g == null) {
            throw Messages.badArgument("ProximalGradient", f == null ? "f" : "g", "non-null", "null");
        }
        this.f = f;
        this.g = g;
        this.tau = ForwardBackward.checkStep("ProximalGradient", tau);
    }

    /** The bound {@code 2/L} on the step for a gradient Lipschitz constant L &gt; 0. */
    public static double stepBound(double lipschitz) {
        return 2 / Messages.positive("ProximalGradient.stepBound", "lipschitz", lipschitz);
    }

    /** The step τ. */
    public double tau() {
        return tau;
    }

    /**
     * Iterates from {@code x0}.
     *
     * @param x0       start, in A's domain (not mutated)
     * @param settings stopping rule
     */
    public Reconstruction run(Tensor x0, IterationSettings settings) {
        return run(x0, settings, null, 1);
    }

    /**
     * Iterates from {@code x0}, recording the PSNR of each iterate against {@code reference}.
     *
     * @param x0        start (not mutated)
     * @param settings  stopping rule
     * @param reference ground truth of x0's shape, or null for no PSNR
     * @param peak      PSNR peak value (1 for images in [0, 1])
     */
    public Reconstruction run(Tensor x0, IterationSettings settings, Tensor reference, double peak) {
        return ForwardBackward.run("ProximalGradient", f, v -> g.apply(v, tau), g::value, tau, x0, settings, reference, peak);
    }
}
