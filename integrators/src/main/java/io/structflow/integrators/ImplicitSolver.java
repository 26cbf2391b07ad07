package io.structflow.integrators;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.internal.Checks;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Settings and algorithm of the nonlinear solve behind every {@link ImplicitIntegrator}.
 *
 * <p><b>Iteration</b> (no graph is recorded): starting from a guess, either fixed-point iteration
 * {@code y ← y − r(x, y, h) = x + h·g(x, y)} (converges when {@code h·Lip(g) < 1}) or Newton's
 * method {@code y ← y − λJ⁻¹ r} (damped: {@code λ} halved from 1 until the residual's max-norm
 * decreases, at most ten times) with the per-sample Jacobian {@code J = ∂r/∂y} formed by
 * {@code n} reverse-mode passes and inverted by Gauss–Jordan elimination with partial pivoting
 * (cost per iteration: {@code n} backward passes plus {@code O(batch·n³)}; the field must act on
 * samples independently). <b>Convergence</b> when
 * {@code max|r| ≤ tol·max(1, max|y|)}, where {@code tol} is {@link #tolerance} but never below
 * 16 machine epsilons of the element type (≈1.9e-6 in float32, ≈3.6e-15 in float64).
 * Newton's method also stops when the residual has reached the round-off floor of difference
 * quotients, {@code 16·eps^{2/3}·max(1, max|y|)} (≈5.9e-10 in float64), and an iteration no longer
 * halves it: discrete gradients cannot be evaluated more accurately than that.
 * A residual that stays above tolerance after {@link #maxIterations} updates, a non-finite residual,
 * or a singular Jacobian throws {@link NonConvergenceException}.
 *
 * <p><b>Gradients</b>: implicit-function theorem. After convergence at {@code ŷ} the step returns
 * <pre>  y = ŷ − J(ŷ)⁻¹ r(x, ŷ, h)</pre>
 * with {@code ŷ} and {@code J(ŷ)⁻¹} held constant and {@code r} recorded: one Newton step from
 * the converged point. Its value is {@code ŷ} (plus a correction of the size of the residual) and
 * its first derivatives are exactly {@code ∂y/∂θ = −J⁻¹ ∂r/∂θ} for {@code θ} in {x, h, field
 * parameters} — the implicit-function theorem — whichever iteration found {@code ŷ}. Second
 * derivatives through a step are not exact (J is frozen). When nothing requires a gradient
 * the Jacobian is not formed and {@code ŷ} is returned.
 *
 * @param method        fixed-point iteration or Newton's method
 * @param tolerance     relative tolerance on the max-norm of the residual, positive
 * @param maxIterations cap on the number of updates, at least 1
 */
public record ImplicitSolver(Method method, double tolerance, int maxIterations) {
    /** How the step equation is iterated. */
    public enum Method {
        /** {@code y ← x + h·g(x, y)}: cheap, linear convergence for small {@code h}. */
        FIXED_POINT,
        /** {@code y ← y − J⁻¹r}: quadratic convergence, valid for large {@code h}. */
        NEWTON
    }

    /** The equation {@code r(x, y, h) = 0} of one implicit step. */
    @FunctionalInterface
    public interface Equation {
        /**
         * @param x start states {@code [batch, n]}
         * @param y candidate end states {@code [batch, n]}
         * @param h step size, rank 0
         * @return residual {@code [batch, n]}
         */
        Tensor residual(Tensor x, Tensor y, Tensor h);
    }

    /** Validates the settings. */
    public ImplicitSolver {
        if (method == null) {
            throw new IllegalArgumentException("ImplicitSolver: method expected FIXED_POINT or NEWTON but got null");
        }
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("ImplicitSolver: tolerance expected a finite positive number but got "
                    + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("ImplicitSolver: maxIterations expected at least 1 but got "
                    + maxIterations);
        }
    }

    /** Newton's method, tolerance 1e-12 (floored by the element type), at most 50 iterations. */
    public static ImplicitSolver newton() {
        return new ImplicitSolver(Method.NEWTON, 1e-12, 50);
    }

    /** Fixed-point iteration, tolerance 1e-12 (floored by the element type), at most 200 iterations. */
    public static ImplicitSolver fixedPoint() {
        return new ImplicitSolver(Method.FIXED_POINT, 1e-12, 200);
    }

    /** The same settings with another tolerance. */
    public ImplicitSolver withTolerance(double newTolerance) {
        return new ImplicitSolver(method, newTolerance, maxIterations);
    }

    /** The same settings with another iteration cap. */
    public ImplicitSolver withMaxIterations(int newMaxIterations) {
        return new ImplicitSolver(method, tolerance, newMaxIterations);
    }

    /** The tolerance actually used for an element type: {@code max(tolerance, 16·eps)}. */
    public double effectiveTolerance(DataType type) {
        double eps = type == DataType.DOUBLE ? Math.ulp(1.0) : Math.ulp(1.0f);
        return Math.max(tolerance, 16 * eps);
    }

    /**
     * Solves {@code equation(x, y, h) = 0} for {@code y} and returns it with implicit-function-theorem
     * gradients (see the class comment).
     *
     * @param who      integrator name for messages
     * @param equation the step equation
     * @param x        start states {@code [batch, n]}; may require a gradient
     * @param h        step size, rank 0; may require a gradient
     * @param guess    starting point {@code [batch, n]}
     * @return the solution {@code [batch, n]}
     * @throws NonConvergenceException if the iteration fails
     */
    public Tensor solve(String who, Equation equation, Tensor x, Tensor h, Tensor guess) {
        Tensor xd = x.detach();
        Tensor hd = h.detach();
        Tensor y = guess.detach();
        double tol = effectiveTolerance(x.dtype());
        double eps = x.dtype() == DataType.DOUBLE ? Math.ulp(1.0) : Math.ulp(1.0f);
        double noiseFloor = 16 * Math.pow(eps, 2.0 / 3.0);
        double previous = Double.POSITIVE_INFINITY;
        Tensor r = residual(who, equation, xd, y, hd);
        double norm = r.value().amaxNumber().doubleValue();
        int iteration = 0;
        while (true) {
            double scale = Math.max(1.0, y.value().amaxNumber().doubleValue());
            if (!Double.isFinite(norm) || !Double.isFinite(scale)) {
                throw new NonConvergenceException(who + ": " + method + " iteration produced a non-finite residual "
                        + "at iteration " + iteration + " (h = " + hd.item() + "); try a smaller h"
                        + (method == Method.FIXED_POINT ? " or Method.NEWTON" : ""), iteration, norm);
            }
            boolean stalled = method == Method.NEWTON && norm <= noiseFloor * scale && norm > 0.5 * previous;
            if (norm <= tol * scale || stalled) {
                break;
            }
            if (iteration == maxIterations) {
                throw new NonConvergenceException(who + ": " + method + " iteration did not converge in "
                        + maxIterations + " iterations: residual " + norm + " > tolerance " + tol + " × scale "
                        + scale + " (h = " + hd.item() + "); try a smaller h, more iterations"
                        + (method == Method.FIXED_POINT ? ", or Method.NEWTON" : ""), iteration, norm);
            }
            previous = norm;
            if (method == Method.FIXED_POINT) {
                try (GradMode.Scope s = GradMode.noGrad()) {
                    y = y.sub(r);
                }
                r = residual(who, equation, xd, y, hd);
                norm = r.value().amaxNumber().doubleValue();
            } else {
                Tensor delta = StepJacobian.apply(StepJacobian.inverse(who, equation, xd, y, hd), r);
                // damped Newton: halve the step until the residual decreases (at most 10 times)
                double lambda = 1;
                Tensor trial;
                Tensor trialResidual;
                double trialNorm;
                do {
                    try (GradMode.Scope s = GradMode.noGrad()) {
                        trial = y.sub(lambda == 1 ? delta : delta.mul(lambda));
                    }
                    trialResidual = residual(who, equation, xd, trial, hd);
                    trialNorm = trialResidual.value().amaxNumber().doubleValue();
                    lambda /= 2;
                } while (!(trialNorm < norm) && lambda >= 1.0 / 1024);
                y = trial;
                r = trialResidual;
                norm = trialNorm;
            }
            iteration++;
        }
        Tensor recorded = equation.residual(x, y, h);
        if (!recorded.requiresGrad()) {
            return y;
        }
        long batch = y.size(0);
        long n = y.length() / batch;
        Tensor jinv = StepJacobian.inverse(who, equation, xd, y, hd).to(y.dtype());
        return y.sub(jinv.matmul(recorded.reshape(batch, n, 1)).reshape(y.shape()));
    }

    private static Tensor residual(String who, Equation equation, Tensor x, Tensor y, Tensor h) {
        Tensor r;
        try (GradMode.Scope s = GradMode.noGrad()) {
            r = equation.residual(x, y, h);
        }
        Checks.requireShape(who, "residual", r, y.shape());
        return r;
    }
}
