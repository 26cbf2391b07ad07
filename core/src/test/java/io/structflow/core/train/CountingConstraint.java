package io.structflow.core.train;

import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Parameter;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A constraint whose projection depends on its own state, as a norm estimate's warm start does:
 * the k-th projection scales the parameter by {@code 1 − 10⁻³·(k mod 3)}. A resumed run that
 * lost k projects differently from an uninterrupted one.
 */
final class CountingConstraint implements Constraint {
    private long count;

    long count() {
        return count;
    }

    @Override
    public String describe() {
        return "counting";
    }

    @Override
    public void validate(Parameter p) {
        // acts on any parameter
    }

    @Override
    public double violation(Parameter p) {
        return 0;
    }

    @Override
    public void projectInPlace(Parameter p) {
        count++;
        p.updateInPlace(p.value().mul(1 - 1e-3 * (count % 3)));
    }

    @Override
    public Map<String, INDArray> state() {
        return Map.of("count", Nd4j.createFromArray(new long[] {count}));
    }

    @Override
    public void loadState(Map<String, INDArray> saved) {
        INDArray c = saved.get("count");
        if (c == null || saved.size() != 1 || c.length() != 1) {
            throw new IllegalArgumentException("counting: expected the one slot count [1] but got " + saved.keySet());
        }
        count = c.getLong(0);
    }
}
