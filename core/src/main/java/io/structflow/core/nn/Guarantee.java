package io.structflow.core.nn;

/**
 * A set that a parameter is in once a {@link Constraint} has run, stated as data so that layers can
 * derive properties from it: a theorem about the stored values after projection, in exact
 * arithmetic on those values, with every tolerance of the constraint included. A constraint whose
 * membership test rests on an estimate (e.g. a power-iteration norm) states no guarantee at all.
 * Implementations are immutable records in {@code structflow-constraints}.
 */
public interface Guarantee {
    /** The set, with its constants, e.g. {@code "‖W‖₂ ≤ 1.0 (certified)"}. */
    String describe();
}
