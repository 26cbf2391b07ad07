package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.internal.Differentiation;
import java.util.Objects;
import java.util.function.Function;

/**
 * A gradient field {@code f(x) = −∇V(x)} (descent, the contractive flows of [CMOSS] (3.3)) or
 * {@code f(x) = +∇V(x)} (ascent, the expansive flows of [CMOSS] (3.7)), chosen by {@link #flow()}.
 *
 * <p>Along descent, {@code d/dt V(x(t)) = −‖∇V‖² ≤ 0}; discrete gradient methods keep
 * {@code V(y) ≤ V(x)} for every step size {@code h > 0}. As a {@link LinearGradientField} its
 * energy is {@code V} and its matrix is {@code L = ∓I}.
 */
public interface GradientField extends LinearGradientField {
    /** Direction of the flow relative to the gradient. */
    enum Flow {
        /** {@code f = −∇V}: V decreases. */
        DESCENT,
        /** {@code f = +∇V}: V increases. */
        ASCENT
    }

    /**
     * The potential.
     *
     * @param x states {@code [batch, n]}; not mutated
     * @return {@code V(x)} per sample, {@code [batch]}
     */
    Tensor potential(Tensor x);

    /**
     * {@code ∇V(x)}, by default from autodiff of {@link #potential} (differentiable again).
     *
     * @param x states {@code [batch, n]}; not mutated
     * @return {@code [batch, n]}
     */
    default Tensor gradient(Tensor x) {
        return Differentiation.gradient(this::potential, x);
    }

    /** {@link Flow#DESCENT} unless overridden. */
    default Flow flow() {
        return Flow.DESCENT;
    }

    @Override
    default Tensor energy(Tensor x) {
        return potential(x);
    }

    @Override
    default Tensor energyGradient(Tensor x) {
        return gradient(x);
    }

    @Override
    default Tensor applyMatrix(Tensor g) {
        return flow() == Flow.DESCENT ? g.neg() : g;
    }

    /** {@code −∇V(x)} or {@code +∇V(x)}. */
    @Override
    default Tensor apply(Tensor x) {
        return applyMatrix(gradient(x));
    }

    /**
     * The descent field {@code −∇V} of a potential, with {@code ∇V} from autodiff.
     *
     * @param potential maps {@code [batch, n]} to {@code [batch]}
     */
    static GradientField descent(Function<Tensor, Tensor> potential) {
        Objects.requireNonNull(potential, "potential");
        return potential::apply;
    }

    /**
     * The ascent field {@code +∇V} of a potential, with {@code ∇V} from autodiff.
     *
     * @param potential maps {@code [batch, n]} to {@code [batch]}
     */
    static GradientField ascent(Function<Tensor, Tensor> potential) {
        Objects.requireNonNull(potential, "potential");
        return new GradientField() {
            @Override
            public Tensor potential(Tensor x) {
                return potential.apply(x);
            }

            @Override
            public Flow flow() {
                return Flow.ASCENT;
            }
        };
    }
}
