package io.structflow.imaging;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;

/**
 * The least-squares data term of an inverse problem {@code y = Ax + noise},
 * <pre>
 *   f(x) = ½‖Ax − y‖²,        ∇f(x) = Aᵀ(Ax − y),
 * </pre>
 * whose gradient is {@code L}-Lipschitz with {@code L = ‖A‖₂²} ({@link #lipschitzOfGradient}).
 * The smooth part of every forward–backward method of this package ([M-slides], plug-and-play).
 * Values are summed over the batch and accumulated in float64. Cost: one {@code A} and one
 * {@code Aᵀ} per gradient.
 */
public final class DataFidelity {
    private final LinearOperator operator;
    private final Tensor y;

    /**
     * @param operator the forward operator A
     * @param y        the measurements, in A's range (for example {@code [batch, C, H, W]} for a
     *                 blur); not mutated
     */
    public DataFidelity(LinearOperator operator, Tensor y) {
        if (operator == null || y == null) {
            throw Messages.badArgument("DataFidelity", operator == null ? "operator" : "y", "non-null", "null");
        }
        this.operator = operator;
        this.y = y.detach();
    }

    /** The value and gradient at one point, sharing the residual {@code Ax − y}. */
    public record Evaluation(double value, Tensor gradient) {
    }

    /** The forward operator A. */
    public LinearOperator operator() {
        return operator;
    }

    /** The measurements y. */
    public Tensor measurements() {
        return y;
    }

    /** {@code f(x) = ½‖Ax − y‖²}. */
    public double value(Tensor x) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor r = residual(x);
            double n = Norms.norm(r);
            return 0.5 * n * n;
        }
    }

    /** {@code ∇f(x) = Aᵀ(Ax − y)}, shape of x, computed without recording a graph. */
    public Tensor gradient(Tensor x) {
        return evaluate(x).gradient();
    }

    /** {@code f(x)} and {@code ∇f(x)} from one residual. */
    public Evaluation evaluate(Tensor x) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor r = residual(x);
            double n = Norms.norm(r);
            return new Evaluation(0.5 * n * n, operator.adjoint(r));
        }
    }

    /** {@code L = ‖A‖₂²} on inputs of the given shape, by {@link LinearOperator#normSquared}. */
    public double lipschitzOfGradient(long... domainShape) {
        return operator.normSquared(domainShape);
    }

    private Tensor residual(Tensor x) {
        Tensor ax = operator.apply(x);
        Messages.requireSameShape("DataFidelity", "A x", ax, "the measurements y", y);
        return ax.sub(y.dtype() == ax.dtype() ? y : y.to(ax.dtype()));
    }
}
