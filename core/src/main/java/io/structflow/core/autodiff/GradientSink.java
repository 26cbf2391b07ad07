package io.structflow.core.autodiff;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A leaf tensor that keeps the gradient {@link Autograd#backward} computes for it (a model
 * parameter): {@code backward(loss)} calls {@link #accumulateGrad} with {@code ∂loss/∂p} on every
 * sink the loss depends on, so optimisers find the gradient on the tensor itself.
 */
public interface GradientSink {
    /**
     * Adds {@code gradient} to the kept gradient.
     *
     * @param gradient {@code ∂loss/∂p}, of this tensor's shape; not kept, not mutated
     */
    void accumulateGrad(INDArray gradient);
}
