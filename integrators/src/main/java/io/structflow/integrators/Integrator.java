package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import java.util.Optional;
import java.util.Set;

/**
 * A one-step method {@code x ↦ φ_h(x)} for {@code ẋ = f(x)}: the map a ResNet layer applies,
 * [CMOSS] (1.2). Implementations are pure and stateless; the type parameter states which fields
 * the method can step, so {@code new SymplecticEuler()} (an {@code Integrator<SeparableHamiltonian>})
 * does not compile against a plain {@link VectorField}.
 *
 * <p><b>Traits.</b> What a method is, as data that layers derive properties from without knowing
 * its class: {@link #order()}, {@link #structure()}, its Butcher {@link #tableau()} when it is an
 * explicit Runge–Kutta method, its {@link #explicitAdjoint()} when the step has an exact explicit
 * inverse, its {@link #splitting()} when it composes steps of the pieces of a {@link SplitField},
 * and how one step's Lipschitz constant follows from the field's ({@link #stepLipschitzBound}).
 * A user's method that declares them gets the same properties as the library's.
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

    /**
     * {@code S} steps of size {@code h} in a row, {@code φ_h ∘ … ∘ φ_h}: the sub-steps of one layer.
     * A method may evaluate what the steps share once (e.g. a parametrised weight).
     *
     * @param substeps S ≥ 1
     */
    default Tensor steps(F field, Tensor x, Tensor h, int substeps) {
        if (substeps < 1) {
            throw new IllegalArgumentException(name() + ".steps: substeps expected ≥ 1 but got " + substeps);
        }
        Tensor y = x;
        for (int i = 0; i < substeps; i++) {
            y = step(field, y, h);
        }
        return y;
    }

    /** The Butcher tableau, when this is an explicit Runge–Kutta method; empty otherwise. */
    default Optional<ButcherTableau> tableau() {
        return Optional.empty();
    }

    /**
     * The adjoint method {@code φ*}, when it is explicit: {@code φ*_{−h}(φ_h(x)) = x} for every
     * field this method accepts, in exact arithmetic, so the step has an exact inverse (e.g.
     * symplectic Euler's other variant; a symmetric method is its own adjoint). Empty when the
     * adjoint is implicit or unknown.
     */
    default Optional<Integrator<F>> explicitAdjoint() {
        return Optional.empty();
    }

    /** The composition this method performs on the two pieces of a {@link SplitField}; empty otherwise. */
    default Optional<SplittingTraits> splitting() {
        return Optional.empty();
    }

    /**
     * An upper bound of the Lipschitz constant of one step of size h on a field with Lipschitz
     * constant L (all of whose pieces, for a partitioned or split field, are L-Lipschitz). The
     * default: the tableau's bound ({@link ButcherTableau#lipschitzBound}) for explicit Runge–Kutta
     * methods, 1 for h = 0, otherwise {@code +∞}.
     */
    default double stepLipschitzBound(double fieldLipschitz, double h) {
        if (h == 0) {
            return 1;
        }
        return tableau().map(t -> t.lipschitzBound(h, fieldLipschitz)).orElse(Double.POSITIVE_INFINITY);
    }

    /** A short human-readable name, e.g. {@code "RK4"}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
