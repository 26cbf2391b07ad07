package io.structflow.integrators;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Whole trajectories {@code x₀, φ_h(x₀), φ_h²(x₀), …} of a field under an integrator, batched
 * over initial conditions: data generation and evaluation of learned dynamics.
 *
 * <p>Differentiable when grad mode is on (the graph then grows with every step; for long
 * evaluation runs wrap the call in {@link GradMode#noGrad()}).
 */
public final class Solver {
    private Solver() {
    }

    /**
     * The states of {@code steps} steps of size {@code h}.
     *
     * @param field      the vector field
     * @param integrator the method
     * @param x0         initial states {@code [batch, n]}; not mutated
     * @param h          step size, one element of {@code x0}'s type
     * @param steps      number of steps, at least 0
     * @return {@code [steps + 1, batch, n]}, entry 0 being {@code x0}
     */
    public static <F extends VectorField> Tensor trajectory(F field, Integrator<? super F> integrator, Tensor x0,
                                                            Tensor h, int steps) {
        return Tensor.stack(0, states(field, integrator, x0, h, steps).toArray(new Tensor[0]));
    }

    /** {@link #trajectory(VectorField, Integrator, Tensor, Tensor, int)} with a constant step size. */
    public static <F extends VectorField> Tensor trajectory(F field, Integrator<? super F> integrator, Tensor x0,
                                                            double h, int steps) {
        return trajectory(field, integrator, x0, Tensor.scalar(h, x0.dtype()), steps);
    }

    /**
     * The same states as {@link #trajectory(VectorField, Integrator, Tensor, Tensor, int)}, as an
     * unmodifiable list of {@code steps + 1} tensors {@code [batch, n]}.
     */
    public static <F extends VectorField> List<Tensor> states(F field, Integrator<? super F> integrator, Tensor x0,
                                                              Tensor h, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("Solver.trajectory: steps expected at least 0 but got " + steps);
        }
        if (integrator == null) {
            throw new IllegalArgumentException("Solver.trajectory: integrator expected an Integrator but got null");
        }
        List<Tensor> out = new ArrayList<>(steps + 1);
        Tensor x = x0;
        out.add(x);
        for (int k = 0; k < steps; k++) {
            x = integrator.step(field, x, h);
            out.add(x);
        }
        return Collections.unmodifiableList(out);
    }

    /** Only the final state after {@code steps} steps, {@code [batch, n]} (keeps no intermediate list). */
    public static <F extends VectorField> Tensor flow(F field, Integrator<? super F> integrator, Tensor x0, Tensor h,
                                                      int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("Solver.flow: steps expected at least 0 but got " + steps);
        }
        Tensor x = x0;
        for (int k = 0; k < steps; k++) {
            x = integrator.step(field, x, h);
        }
        return x;
    }
}
