package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.internal.Differentiation;

/**
 * A field in linear-gradient form {@code f(x) = L ∇E(x)} with a constant matrix {@code L} and
 * an energy {@code E}: the form that discrete gradient methods need (McLachlan, Quispel,
 * Robidoux, <i>Geometric integration using discrete gradients</i>, Phil. Trans. R. Soc. A 357
 * (1999), doi:10.1098/rsta.1999.0363).
 *
 * <p>When {@code L} is skew-symmetric ({@link HamiltonianField}, {@code L = 𝕁}) the energy is a
 * first integral; when {@code L = −I} ({@link GradientField}, descent) it decreases along
 * solutions, [CMOSS] (3.3). Discrete gradient methods inherit both facts for every step size.
 */
public interface LinearGradientField extends VectorField {
    /**
     * The energy.
     *
     * @param x states {@code [batch, n]}; not mutated
     * @return {@code E(x)} per sample, shape {@code [batch]}
     */
    Tensor energy(Tensor x);

    /**
     * {@code ∇E(x)}, by default from reverse-mode autodiff of {@link #energy} (differentiable
     * again, so integrators can differentiate through it); override with a closed form when
     * one is cheaper.
     *
     * @param x states {@code [batch, n]}; not mutated
     * @return {@code [batch, n]}
     */
    default Tensor energyGradient(Tensor x) {
        return Differentiation.gradient(this::energy, x);
    }

    /**
     * Multiplies by the constant matrix {@code L}.
     *
     * @param g a gradient-shaped tensor {@code [batch, n]}; not mutated
     * @return {@code L g} per sample, {@code [batch, n]}
     */
    Tensor applyMatrix(Tensor g);

    /** {@code f(x) = L ∇E(x)}. */
    @Override
    default Tensor apply(Tensor x) {
        return applyMatrix(energyGradient(x));
    }
}
