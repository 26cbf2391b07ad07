package io.structflow.core.nn;

import io.structflow.core.autodiff.Tensor;
import java.util.List;

/**
 * A differentiable map from a raw, unconstrained weight to a constrained one, applied in the
 * forward pass and attached to its {@link Parameter} as a constraint is
 * ({@link Parameter#parametrize}, PyTorch's {@code torch.nn.utils.parametrize}): gradients reach
 * the raw parameter, and the constraint holds at every step, with no projection.
 */
public interface Parametrization {
    /**
     * @param raw the unconstrained weight (a Parameter or any tensor), not mutated
     * @return the constrained weight, recorded for backpropagation to {@code raw}
     */
    Tensor apply(Tensor raw);

    /** What the result satisfies, e.g. {@code "AᵀA = I via expm(W − Wᵀ)"}. */
    String describe();

    /**
     * What the result satisfies for every raw value, as data (in exact arithmetic: the forward
     * pass's own round-off aside), for the property rules; empty by default.
     */
    default List<Guarantee> guarantees() {
        return List.of();
    }
}
