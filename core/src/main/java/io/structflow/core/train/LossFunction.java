package io.structflow.core.train;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.nn.Module;

/**
 * The training objective of one mini-batch, e.g.
 * {@code (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels())}.
 *
 * <p>{@link Trainer} and {@link CompiledStep} run it and the backward pass inside an
 * {@link io.structflow.core.autodiff.Intermediates} scope: every tensor it makes is freed after the
 * step, so it must not keep one for later (read numbers out, e.g. with {@code item()}, instead).
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
