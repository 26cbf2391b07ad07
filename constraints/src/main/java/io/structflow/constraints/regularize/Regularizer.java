package io.structflow.constraints.regularize;

import io.structflow.core.autodiff.Tensor;

/** A differentiable penalty on a weight, to be scaled and added to the loss. */
public interface Regularizer {
    /**
     * @param weight the weight (a Parameter or any tensor), not mutated
     * @return a rank-0 tensor, differentiable with respect to {@code weight}
     */
    Tensor apply(Tensor weight);

    /** The penalty's formula. */
    String describe();
}
