package io.structflow.layers.inverse;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The largest eigenvalue of {@code AᵀA} — the squared operator norm {@code ‖A‖₂²}, which is the
 * Lipschitz constant L of {@code ∇f} for {@code f(x) = ½‖Ax − y‖²} — by power iteration:
 * <pre>
 *   v₀ random, ‖v₀‖ = 1;   w = Aᵀ(A vₖ);   λₖ = ⟨vₖ, w⟩;   vₖ₊₁ = w / ‖w‖
 * </pre>
 * stopping when {@code |λₖ − λₖ₋₁| ≤ tolerance · λₖ} or after {@code maxIterations} products.
 * Every Rayleigh quotient {@code λₖ} is a lower bound of {@code ‖A‖₂²}; the error decays like
 * {@code (λ₂/λ₁)^{2k}}, slowly when the top eigenvalues cluster (blurs of large images), where the
 * stopping rule may stop short of the limit. A step {@code τ = 1/L} leaves a factor 2 of margin
 * below the bound {@code 2/L}; for a blur, {@link BlurOperator#lipschitzUpperBound()} is a
 * guaranteed upper bound. Cost per iteration: one {@code A} and one {@code Aᵀ} on one sample, in
 * float64. Reference: Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., §7.3.1
 * (ISBN 978-1-4214-0794-4).
 */
public final class PowerIteration {
    private PowerIteration() {
    }

    /**
     * Stopping rule.
     *
     * @param maxIterations products with {@code AᵀA}, ≥ 1
     * @param tolerance     relative change of the Rayleigh quotient that counts as converged, ≥ 0
     * @param seed          seed of the random start vector
     */
    public record Settings(int maxIterations, double tolerance, long seed) {
        public Settings {
            if (maxIterations < 1) {
                throw Messages.badArgument("PowerIteration.Settings", "maxIterations", "an integer ≥ 1", maxIterations);
            }
            Messages.nonNegative("PowerIteration.Settings", "tolerance", tolerance);
        }

        /** 2000 iterations, tolerance 1e-10, seed 0. */
        public static Settings defaults() {
            return new Settings(2000, 1e-10, 0);
        }
    }

    /**
     * @param value      the last Rayleigh quotient λ ≤ ‖A‖₂²
     * @param iterations products with {@code AᵀA} used
     * @param converged  whether the stopping tolerance was met
     */
    public record Result(double value, int iterations, boolean converged) {
    }

    /**
     * Power iteration on {@code AᵀA}.
     *
     * @param a           the operator
     * @param domainShape shape of one input, batch first; the iteration runs on a batch of one
     * @param settings    stopping rule
     */
    public static Result largestEigenvalueOfNormal(LinearOperator a, long[] domainShape, Settings settings) {
        if (domainShape.length < 1) {
            throw Messages.badArgument("PowerIteration", "domainShape", "a shape [batch, ...]", "[]");
        }
        long[] shape = domainShape.clone();
        shape[0] = 1;
        for (long s : shape) {
            if (s < 1) {
                throw Messages.badArgument("PowerIteration", "domainShape", "positive sizes",
                        java.util.Arrays.toString(domainShape));
            }
        }
        try (GradMode.Scope scope = GradMode.noGrad()) {
            Tensor v = Tensor.randn(DataType.DOUBLE, new SplittableRandom(settings.seed()), shape);
            v = v.mul(1 / Norms.norm(v));
            double previous = Double.NaN;
            for (int k = 1; k <= settings.maxIterations(); k++) {
                Tensor w = a.adjoint(a.apply(v));
                double lambda = Norms.dot(v, w);
                double size = Norms.norm(w);
                if (!Double.isFinite(lambda) || !Double.isFinite(size)) {
                    throw new ArithmeticException("PowerIteration: AᵀA v became " + lambda + " at iteration " + k
                            + " (does the operator hold NaN or ∞?)");
                }
                if (size == 0) {
                    return new Result(0, k, true);
                }
                if (Math.abs(lambda - previous) <= settings.tolerance() * Math.abs(lambda)) {
                    return new Result(lambda, k, true);
                }
                previous = lambda;
                v = w.mul(1 / size);
            }
            return new Result(previous, settings.maxIterations(), false);
        }
    }
}
