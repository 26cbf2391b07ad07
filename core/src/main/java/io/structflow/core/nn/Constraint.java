package io.structflow.core.nn;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A set that a parameter must stay in for a guarantee to hold (orthogonal, spectral norm ≤ c,
 * a step inside its stability region, …), enforced by projection after every optimiser step.
 *
 * <p>Contract: {@link #projectInPlace} is idempotent and the identity on points inside the set;
 * {@link #violation} is 0 inside the set and positive outside. Implementations live in
 * {@code structflow-constraints}; {@link io.structflow.core.optim.Optimizer#step()} applies
 * every constraint of every parameter, in the order they were attached.
 *
 * <p>A constraint whose projection depends on more than the parameter's value (the warm-start
 * vector of a norm estimate, a random generator's position) exports that state with
 * {@link #state()} and takes it back with {@link #loadState(Map)}; checkpoints save it under the
 * parameter's dotted name and the constraint's index, so that a resumed run projects exactly as
 * an uninterrupted one. The defaults describe a constraint that keeps no state.
 */
public interface Constraint {
    /** Short description with the constant(s), e.g. {@code "spectral norm ≤ 1"}. */
    String describe();

    /**
     * Checks that this constraint can act on {@code p} (its shape, its type), throwing an
     * {@link IllegalArgumentException} that names the parameter otherwise. Called on attach.
     */
    void validate(Parameter p);

    /** Distance-like residual of {@code p} from the set: 0 inside, positive outside. */
    double violation(Parameter p);

    /** Moves {@code p} into the set, writing its storage in place (identity storage is kept). */
    void projectInPlace(Parameter p);

    /**
     * What holds for {@code p} right after {@link #projectInPlace}, tolerances included; empty when
     * the set cannot be stated exactly (for example when membership is decided by an estimate).
     */
    default java.util.List<Guarantee> guarantees() {
        return java.util.List.of();
    }

    /**
     * Whether {@link #projectInPlace} keeps {@code earlier}, a guarantee of a constraint that ran
     * before this one on the same parameter. False unless the projection provably cannot leave it
     * (a rescaling by a factor ≤ 1 keeps every norm bound; clamping or re-orthonormalising keeps
     * nothing).
     */
    default boolean preserves(Guarantee earlier) {
        return false;
    }

    /**
     * Copies of the state that later calls depend on besides the parameter's value, by slot name
     * (a name without {@code "/"}), as float32, float64 or int64 arrays; empty (the default) for
     * a constraint that keeps none.
     */
    default Map<String, INDArray> state() {
        return Map.of();
    }

    /**
     * Replaces the state by {@code saved}, as exported by {@link #state()} (an empty map for a
     * checkpoint that holds none); the arrays are copied.
     *
     * @throws IllegalArgumentException naming this constraint and the slot if {@code saved} does
     *         not fit; the state is then unchanged
     */
    default void loadState(Map<String, INDArray> saved) {
        if (!saved.isEmpty()) {
            throw new IllegalArgumentException(describe() + ": expected no saved state (this constraint keeps none) "
                    + "but got slots " + saved.keySet());
        }
    }
}
