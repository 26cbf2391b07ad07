package io.structflow.integrators;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.internal.Checks;

/**
 * A one-step method defined by an equation {@code r(x, y, h) = 0} for the new state {@code y},
 * written in fixed-point form {@code r = y − x − h·g(x, y)}.
 *
 * <p>{@link #step} solves the equation with {@link #solver()} (see {@link ImplicitSolver} for the
 * iteration, the convergence test, and how gradients are obtained: the implicit-function theorem,
 * realised by one differentiable Newton step at the converged point). {@link #residual} is the
 * defect of the equation when both ends are known, so a model trained on trajectory pairs
 * {@code (x, y)} can minimise {@code ‖r(x, y, h)‖²} without any solve ([CMOSS] App. A).
 *
 * @param <F> the kind of field the method needs
 */
public interface ImplicitIntegrator<F extends VectorField> extends Integrator<F> {
    /**
     * The defect of the step equation.
     *
     * @param field the vector field
     * @param x     start states {@code [batch, n]}; not mutated
     * @param y     end states {@code [batch, n]}; not mutated
     * @param h     step size, one element of {@code x}'s type
     * @return {@code r(x, y, h)}, {@code [batch, n]}; zero exactly when {@code y} is the step's
     *         solution; differentiable in all arguments and the field's parameters
     */
    Tensor residual(F field, Tensor x, Tensor y, Tensor h);

    /** The nonlinear solver settings used by {@link #step}. */
    ImplicitSolver solver();

    /**
     * Solves {@code r(x, y, h) = 0} for {@code y}, starting from the explicit Euler guess
     * {@code x + h f(x)}.
     *
     * @throws NonConvergenceException if the solver does not reach its tolerance
     */
    @Override
    default Tensor step(F field, Tensor x, Tensor h) {
        Tensor step = Checks.step(name(), x, h);
        Tensor guess;
        try (GradMode.Scope s = GradMode.noGrad()) {
            guess = x.detach().add(Checks.apply(name(), field == null ? null : field::apply, x.detach()).mul(step.detach()));
        }
        return solver().solve(name(), (xs, ys, hs) -> residual(field, xs, ys, hs), x, step, guess);
    }
}
