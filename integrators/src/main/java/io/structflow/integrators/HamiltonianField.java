package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import java.util.Objects;
import java.util.function.Function;

/**
 * A Hamiltonian vector field {@code f(x) = 𝕁∇H(x)} on {@code x = [q, p]} (split along the last
 * axis, {@code d} entries each), with {@code 𝕁 = [[0, I], [−I, 0]]}, so
 * {@code f = (∂H/∂p, −∂H/∂q)}: the fields of Hamiltonian networks [M-slides], [CMOSS] §4.
 *
 * <p>{@code H} is a first integral and the flow is symplectic. The default gradient is reverse-mode
 * autodiff of {@link #hamiltonian}, recorded so that a loss on the flow can be differentiated
 * again (double backprop through {@code 𝕁∇H_θ}). As a {@link LinearGradientField} its energy is
 * {@code H} and its matrix is {@code L = 𝕁}.
 */
public interface HamiltonianField extends LinearGradientField {
    /**
     * The Hamiltonian.
     *
     * @param x states {@code [batch, 2d]} ordered {@code [q, p]}; not mutated
     * @return {@code H(x)} per sample, {@code [batch]}
     */
    Tensor hamiltonian(Tensor x);

    @Override
    default Tensor energy(Tensor x) {
        return hamiltonian(x);
    }

    /** {@code 𝕁 g = (g_p, −g_q)} for {@code g = (g_q, g_p)} of shape {@code [batch, 2d]}. */
    @Override
    default Tensor applyMatrix(Tensor g) {
        Tensor gq = PartitionedField.positions(g);
        Tensor gp = PartitionedField.momenta(g);
        return Tensor.concat(-1, gp, gq.neg());
    }

    /**
     * The Hamiltonian field of {@code H}, with {@code ∇H} from autodiff.
     *
     * @param hamiltonian maps {@code [batch, 2d]} to {@code [batch]}
     */
    static HamiltonianField of(Function<Tensor, Tensor> hamiltonian) {
        Objects.requireNonNull(hamiltonian, "hamiltonian");
        return hamiltonian::apply;
    }
}
