package io.structflow.constraints.linalg;

import io.structflow.core.nn.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An estimator of the operator 2-norm (largest singular value) {@code ‖𝒜_W‖₂} of the linear map
 * a weight defines: the matrix itself for dense weights, the convolution for kernels.
 *
 * <p>Implementations run power iteration on {@code 𝒜ᵀ𝒜}, accelerated by Lanczos over the
 * power iterates, and keep the last right singular vector, so that across optimiser steps (where
 * W changes little) a few products suffice. The estimate approaches {@code ‖𝒜_W‖₂} from below:
 * every estimate is a lower bound, exact to the stopping tolerance.
 */
public interface OperatorNorm {
    /**
     * The estimated largest singular value of the operator of {@code weight}, warm-started from the
     * previous call.
     *
     * @param weight the weight's value (not mutated)
     */
    double estimate(INDArray weight);

    /** Throws an {@link IllegalArgumentException} naming {@code where} if {@code weight} does not fit this operator. */
    void validate(String where, Parameter weight);

    /** The operator, e.g. {@code "‖W‖₂"}. */
    String describe();

    /** Products with {@code 𝒜ᵀ𝒜} used by the last {@link #estimate} call. */
    int lastProducts();
}
