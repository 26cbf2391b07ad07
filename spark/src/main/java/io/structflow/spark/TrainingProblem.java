package io.structflow.spark;

import java.io.Serializable;

/**
 * A serialisable recipe for a model, its loss and its optimiser, from which the driver and
 * every executor build their own {@link Replica} (models and ND4J arrays are never shipped).
 *
 * <p>Contract: every call of {@link #build()} returns a fresh replica with the same parameter
 * names, shapes, element types and order (the initial values may be those of a fixed seed), and
 * the loss is a mean over the batch's rows plus terms that do not depend on the rows (a penalty
 * of the parameters). Data-parallel training relies on the latter: {@code n · loss(batch)}
 * summed over disjoint shares of a global batch of {@code N} rows, divided by {@code N}, is the
 * loss of the global batch.
 */
@FunctionalInterface
public interface TrainingProblem extends Serializable {
    /** A new model with its loss and optimiser. */
    Replica build();
}
