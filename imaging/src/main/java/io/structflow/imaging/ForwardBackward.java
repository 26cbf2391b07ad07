package io.structflow.imaging;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * The iteration shared by every method of this package, {@code xₖ₊₁ = T(xₖ − τ∇f(xₖ))} with a
 * backward step T (a prox or a denoiser), and its bookkeeping.
 */
final class ForwardBackward {
    private ForwardBackward() {
    }

    /**
     * @param where       the method's name, for messages
     * @param f           the smooth data term
     * @param backward    T, applied to the gradient step
     * @param regulariser g(x) added to f(x) in the objective
     * @param tau         step τ &gt; 0
     * @param x0          start (not mutated)
     * @param settings    stopping rule
     * @param reference   ground truth for PSNR, or null
     * @param peak        PSNR peak value
     */
    static Reconstruction run(String where, DataFidelity f, UnaryOperator<Tensor> backward, ToDoubleFunction<Tensor> regulariser,
                              double tau, Tensor x0, IterationSettings settings, Tensor reference, double peak) {
        if (x0 == null || settings == null) {
            throw Messages.badArgument(where, x0 == null ? "x0" : "settings", "non-null", "null");
        }
        if (reference != null) {
            Messages.requireSameShape(where, "reference", reference, "x0", x0);
        }
        int max = settings.maxIterations();
        double[] changes = new double[max];
        double[] relative = new double[max];
        double[] objective = new double[max + 1];
        double[] psnr = new double[reference == null ? 0 : max + 1];
        Reconstruction.StopReason reason = Reconstruction.StopReason.MAX_ITERATIONS;
        int k = 0;
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor x = x0.detach();
            DataFidelity.Evaluation e = f.evaluate(x);
            objective[0] = e.value() + regulariser.applyAsDouble(x);
            if (reference != null) {
                psnr[0] = ImageMetrics.psnr(x, reference, peak);
            }
            while (k < max) {
                Tensor next = backward.apply(x.sub(e.gradient().mul(tau)));
                if (next == null || !Arrays.equals(next.shape(), x.shape()) || next.dtype() != x.dtype()) {
                    throw new IllegalArgumentException(where + ": the backward step (prox or denoiser) expected to return shape "
                            + Shapes.str(x.shape()) + " " + x.dtype() + " but returned "
                            + (next == null ? "null" : Shapes.str(next.shape()) + " " + next.dtype()));
                }
                double change = Norms.distance(next, x);
                double size = Norms.norm(next);
                if (!Double.isFinite(change) || !Double.isFinite(size)) {
                    reason = Reconstruction.StopReason.DIVERGED;
                    break;
                }
                x = next;
                e = f.evaluate(x);
                changes[k] = change;
                relative[k] = change == 0 ? 0 : change / size;
                k++;
                objective[k] = e.value() + regulariser.applyAsDouble(x);
                if (reference != null) {
                    psnr[k] = ImageMetrics.psnr(x, reference, peak);
                }
                if (relative[k - 1] <= settings.tolerance()) {
                    reason = Reconstruction.StopReason.CONVERGED;
                    break;
                }
            }
            return new Reconstruction(x, Arrays.copyOf(changes, k), Arrays.copyOf(relative, k),
                    Arrays.copyOf(objective, k + 1), reference == null ? psnr : Arrays.copyOf(psnr, k + 1), reason);
        }
    }

    static double checkStep(String where, double tau) {
        return Messages.positive(where, "tau", tau);
    }
}
