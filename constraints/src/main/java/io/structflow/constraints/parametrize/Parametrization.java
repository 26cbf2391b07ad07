package io.structflow.constraints.parametrize;

import io.structflow.core.autodiff.Tensor;

/**
 * A differentiable map from a raw, unconstrained weight to a constrained one, applied in the
 * forward pass (PyTorch's {@code torch.nn.utils.parametrize}): gradients reach the raw
 * {@link io.structflow.core.nn.Parameter}, and the constraint holds exactly (to round-off) at
 * every step, with no projection.
 */
public interface Parametrization {
    /**
     * @param raw the unconstrained weight (a Parameter or any tensor), not mutated
     * @return the constrained weight, recorded for backpropagation to {@code raw}
     */
    Tensor apply(Tensor raw);

    /** What the result satisfies, e.g. {@code "AᵀA = I via expm(W − Wᵀ)"}. */
    String describe();
}
