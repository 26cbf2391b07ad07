package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import java.util.Set;

/**
 * A one-step method {@code x ↦ φ_h(x)} for {@code ẋ = f(x)}: the map a ResNet layer applies,
 * [CMOSS] (1.2). Implementations are pure and stateless; the type parameter states which fields
 * the method can step, so {@code new SymplecticEuler()} (an {@code Integrator<SeparableHamiltonian>})
 * does not compile against a plain {@link VectorField}.
 *
 * @param <F> the kind of field the method needs
 */
public interface Integrator<F extends VectorField> {
    /**
     * One step of size {@code h}.
     *
     * @param field the vector field; evaluated, not modified
     * @param x     states {@code [batch, n]} (batch first); not mutated
     * @param h     step size, a one-element tensor (rank 0 or {@code [1]}) of {@code x}'s type; may
     *              require a gradient (learnable step sizes)
     * @return {@code φ_h(x)}, {@code [batch, n]}; differentiable in {@code x}, in the field's
     *         parameters and in {@code h}
     * @throws IllegalArgumentException if shapes or types do not match (the field's output must
     *                                  have the shape of {@code x})
     * @throws ArithmeticException      if {@code h} is NaN or infinite
     */
    Tensor step(F field, Tensor x, Tensor h);

    /** {@link #step(VectorField, Tensor, Tensor)} with a constant step size of {@code x}'s type. */
    default Tensor step(F field, Tensor x, double h) {
        return step(field, x, Tensor.scalar(h, x.dtype()));
    }

    /** Classical order of accuracy {@code p}: the local error is {@code O(h^{p+1})}. */
    int order();

    /** The properties the step map inherits from the field, see {@link Structure}. */
    Set<Structure> structure();

    /** A short human-readable name, e.g. {@code "RK4"}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
