package io.structflow.spark;

import io.structflow.core.nn.Module;
import io.structflow.core.optim.Optimizer;
import io.structflow.core.train.LossFunction;

/**
 * One copy of a model with the loss it is trained on and an optimiser over its parameters, as
 * built by {@link TrainingProblem#build()} on the driver or on an executor.
 *
 * @param model     the model
 * @param loss      the loss of a batch: a mean over rows plus row-independent terms
 * @param optimizer optimiser over exactly {@code model}'s parameters (with their constraints)
 */
public record Replica(Module model, LossFunction loss, Optimizer optimizer) {
    /** Checks that the optimiser owns the model's parameters under the model's names. */
    public Replica {
        if (model == null || loss == null || optimizer == null) {
            throw new IllegalArgumentException("Replica: model, loss and optimizer expected non-null but got " + model
                    + ", " + loss + ", " + optimizer);
        }
        if (!optimizer.parameters().equals(model.namedParameters())) {
            throw new IllegalArgumentException("Replica: optimizer parameters expected the model's "
                    + model.namedParameters().keySet() + " but got " + optimizer.parameters().keySet());
        }
    }
}
