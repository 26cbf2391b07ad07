package io.structflow.core.nn;

/**
 * A set that a parameter must stay in for a guarantee to hold (orthogonal, spectral norm ≤ c,
 * a step inside its stability region, …), enforced by projection after every optimiser step.
 *
 * <p>Contract: {@link #projectInPlace} is idempotent and the identity on points inside the set;
 * {@link #violation} is 0 inside the set and positive outside. Implementations live in
 * {@code structflow-constraints}; {@link io.structflow.core.optim.Optimizer#step()} applies
 * every constraint of every parameter, in the order they were attached.
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
}
