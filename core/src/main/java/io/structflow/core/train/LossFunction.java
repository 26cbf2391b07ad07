package io.structflow.core.train;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.nn.Module;

/**
 * The training objective of one mini-batch, e.g.
 * {@code (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels())}.
 */
@FunctionalInterface
public interface LossFunction {
    /**
     * @param model the model being trained
     * @param batch the current mini-batch
     * @return a one-element tensor whose graph reaches the model's parameters
     */
    Tensor loss(Module model, Batch batch);
}
