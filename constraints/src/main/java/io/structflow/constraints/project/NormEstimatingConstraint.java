package io.structflow.constraints.project;

import io.structflow.constraints.linalg.OperatorNorm;
import io.structflow.core.nn.Constraint;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A constraint that estimates an operator norm at each projection with a warm-started
 * {@link OperatorNorm}: the estimator's state (warm-start vector, generator position) is the
 * constraint's state, which checkpoints save and restore so that a resumed run projects exactly
 * as an uninterrupted one.
 */
public interface NormEstimatingConstraint extends Constraint {
    /** The estimator this constraint projects with. */
    OperatorNorm norm();

    @Override
    default Map<String, INDArray> state() {
        return norm().state();
    }

    @Override
    default void loadState(Map<String, INDArray> saved) {
        norm().loadState(saved);
    }
}
