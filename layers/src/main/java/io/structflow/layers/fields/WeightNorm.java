package io.structflow.layers.fields;

import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The bounds {@code c} of the norm constraints a field attached to its weight itself, so that a
 * Lipschitz derivation can use {@code ‖A‖ ≤ c}: a constraint is recognised by identity, never by
 * name, and only while it is attached to the weight.
 */
final class WeightNorm {
    private final Map<Constraint, Double> known = new IdentityHashMap<>();

    /** Remembers that {@code constraint} keeps the operator norm at most {@code c}. */
    void record(Constraint constraint, double c) {
        known.put(constraint, c);
    }

    /** The least recorded bound among the constraints attached to {@code weight}; +∞ if none. */
    double bound(Parameter weight) {
        double c = Double.POSITIVE_INFINITY;
        for (Constraint k : weight.constraints()) {
            Double v = known.get(k);
            if (v != null) {
                c = Math.min(c, v);
            }
        }
        return c;
    }
}
