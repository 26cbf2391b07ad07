package io.structflow.integrators;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Jacobians;
import io.structflow.core.autodiff.LinearSolve;
import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The inverse Jacobian {@code (∂r/∂y)⁻¹} of an implicit step equation {@code r(x, y, h) = 0},
 * per sample, for the Newton iteration of {@link ImplicitSolver}: the Jacobians come from
 * {@link Jacobians#of}, the inverses from {@link LinearSolve} ({@code J X = I}, Gaussian
 * elimination with partial pivoting), both in float64.
 */
final class StepJacobian {
    private StepJacobian() {
    }

    /**
     * The inverse of {@code ∂r/∂y} at {@code (x, y, h)} for every sample (valid because the field
     * acts on samples independently).
     *
     * @return a float64 constant {@code [batch, n, n]}
     * @throws NonConvergenceException if a Jacobian is singular to working precision
     */
    static Tensor inverse(String who, ImplicitSolver.Equation equation, Tensor x, Tensor y, Tensor h) {
        Tensor xd = x.detach();
        Tensor hd = h.detach();
        double[][][] jacobians = Jacobians.of(v -> equation.residual(xd, v, hd), y);
        int batch = jacobians.length;
        int n = jacobians[0].length;
        double[] flat = new double[batch * n * n];
        double[] identity = new double[batch * n * n];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(jacobians[b][i], 0, flat, (b * n + i) * n, n);
                identity[(b * n + i) * n + i] = 1;
            }
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            return LinearSolve.solve(Tensor.of(DataType.DOUBLE, flat, batch, n, n),
                    Tensor.of(DataType.DOUBLE, identity, batch, n, n));
        } catch (ArithmeticException singular) {
            throw new NonConvergenceException(who + ": the Jacobian of the step equation is singular ("
                    + singular.getMessage() + "); try a smaller h", 0, Double.NaN);
        }
    }

    /** {@code J⁻¹ r} per sample, computed in float64, as a constant of {@code r}'s shape and type. */
    static Tensor apply(Tensor inverse, Tensor r) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            long batch = inverse.size(0);
            long n = inverse.size(1);
            return inverse.matmul(r.to(DataType.DOUBLE).reshape(batch, n, 1)).reshape(r.shape()).to(r.dtype());
        }
    }
}
