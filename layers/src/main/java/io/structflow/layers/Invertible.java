package io.structflow.layers;

import io.structflow.core.autodiff.Tensor;

/**
 * A layer {@code Φ} with an exact inverse, e.g. a composition of shears (RevNet blocks,
 * symplectic Euler on a separable Hamiltonian, [CMOSS] §4.2).
 */
public interface Invertible {
    /**
     * {@code Φ⁻¹(y)}.
     *
     * @param y outputs of the layer, {@code [batch, ...]}; not mutated
     * @return {@code x} with {@code Φ(x) = y}, the shape of {@code y}; differentiable
     */
    Tensor inverse(Tensor y);
}
