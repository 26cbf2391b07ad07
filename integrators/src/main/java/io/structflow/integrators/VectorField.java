package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;

/**
 * An autonomous vector field {@code f} of the ODE {@code ẋ = f(x)}, [CMOSS] (1.1) with the time
 * dependence carried by the layer that owns the field.
 *
 * <p>A field only evaluates {@code f}; it knows nothing about stepping (that is an
 * {@link Integrator}). It is a functional interface, so {@code VectorField f = x -> x.neg();}
 * works. Implementations act on each sample of the batch independently (the implicit
 * integrators rely on this when they form per-sample Jacobians).
 *
 * <p>Refinements carry the structure a method needs: {@link GradientField},
 * {@link HamiltonianField}, {@link SeparableHamiltonian}, {@link PartitionedField},
 * {@link SplitField}, {@link SkewField}.
 */
@FunctionalInterface
public interface VectorField {
    /**
     * Evaluates the field.
     *
     * @param x states {@code [batch, n]} (or {@code [batch, ...]} for fields on images); not mutated
     * @return {@code f(x)}, the same shape and element type as {@code x}; differentiable in
     *         {@code x} and in the field's parameters
     */
    Tensor apply(Tensor x);
}
