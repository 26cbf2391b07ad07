package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.internal.Differentiation;
import java.util.Objects;
import java.util.function.Function;

/**
 * A separable Hamiltonian {@code H(q, p) = K(p) + U(q)} and its field
 * {@code q̇ = ∂K/∂p(p)}, {@code ṗ = −∂U/∂q(q)} on {@code x = [q, p]}: the structure that makes
 * symplectic Euler and Störmer–Verlet explicit (the SympNet and Hamiltonian-network fields of
 * [M-slides], e.g. {@code K = uᵀγ(Ap + a)}).
 *
 * <p>{@link #dKdp} and {@link #dUdq} default to reverse-mode autodiff of {@link #kinetic} and
 * {@link #potential} (recorded for double backprop); override them with closed forms when cheaper.
 */
public interface SeparableHamiltonian extends HamiltonianField, PartitionedField {
    /**
     * Kinetic energy.
     *
     * @param p momenta {@code [batch, d]}; not mutated
     * @return {@code K(p)}, {@code [batch]}
     */
    Tensor kinetic(Tensor p);

    /**
     * Potential energy.
     *
     * @param q positions {@code [batch, d]}; not mutated
     * @return {@code U(q)}, {@code [batch]}
     */
    Tensor potential(Tensor q);

    /**
     * {@code ∂K/∂p}.
     *
     * @param p momenta {@code [batch, d]}; not mutated
     * @return {@code [batch, d]}
     */
    default Tensor dKdp(Tensor p) {
        return Differentiation.gradient(this::kinetic, p);
    }

    /**
     * {@code ∂U/∂q}.
     *
     * @param q positions {@code [batch, d]}; not mutated
     * @return {@code [batch, d]}
     */
    default Tensor dUdq(Tensor q) {
        return Differentiation.gradient(this::potential, q);
    }

    /** {@code K(p) + U(q)}. */
    @Override
    default Tensor hamiltonian(Tensor x) {
        return kinetic(PartitionedField.momenta(x)).add(potential(PartitionedField.positions(x)));
    }

    /** {@code ∇H = (∂U/∂q, ∂K/∂p)}. */
    @Override
    default Tensor energyGradient(Tensor x) {
        return Tensor.concat(-1, dUdq(PartitionedField.positions(x)), dKdp(PartitionedField.momenta(x)));
    }

    /** {@code ∂K/∂p(p)}; independent of {@code q}. */
    @Override
    default Tensor qVelocity(Tensor q, Tensor p) {
        return dKdp(p);
    }

    /** {@code −∂U/∂q(q)}; independent of {@code p}. */
    @Override
    default Tensor pVelocity(Tensor q, Tensor p) {
        return dUdq(q).neg();
    }

    /** {@code (∂K/∂p, −∂U/∂q)}. */
    @Override
    default Tensor apply(Tensor x) {
        return PartitionedField.super.apply(x);
    }

    /**
     * The separable Hamiltonian {@code K(p) + U(q)}, derivatives from autodiff.
     *
     * @param kinetic   maps {@code p [batch, d]} to {@code [batch]}
     * @param potential maps {@code q [batch, d]} to {@code [batch]}
     */
    static SeparableHamiltonian of(Function<Tensor, Tensor> kinetic, Function<Tensor, Tensor> potential) {
        Objects.requireNonNull(kinetic, "kinetic");
        Objects.requireNonNull(potential, "potential");
        return new SeparableHamiltonian() {
            @Override
            public Tensor kinetic(Tensor p) {
                return kinetic.apply(p);
            }

            @Override
            public Tensor potential(Tensor q) {
                return potential.apply(q);
            }
        };
    }
}
