package io.structflow.integrators;

/**
 * A geometric property that a one-step map inherits from the vector field it discretises.
 *
 * <p>Each constant reads "whenever the field's exact flow has the property (and the field has the
 * type the integrator accepts), the numerical step map has it too, for every step size". A property
 * an integrator does not list may still hold for special fields; it is not guaranteed.
 */
public enum Structure {
    /**
     * For a Hamiltonian field the step map {@code φ} satisfies {@code (∂φ/∂x)ᵀ 𝕁 (∂φ/∂x) = 𝕁}
     * (symplectic Euler, Störmer–Verlet, implicit midpoint).
     */
    SYMPLECTIC,
    /**
     * {@code det ∂φ/∂x = 1} for every field the integrator accepts (compositions of shears, such as
     * symplectic Euler and Störmer–Verlet on separable fields).
     */
    VOLUME_PRESERVING,
    /**
     * For a field {@code L∇E} with {@code L} skew (a Hamiltonian field) the energy is kept:
     * {@code E(y) = E(x)} up to the tolerance of the implicit solve (discrete gradient methods).
     */
    ENERGY_CONSERVING,
    /**
     * For a gradient field the energy moves monotonically for every {@code h > 0}:
     * {@code V(y) ≤ V(x)} for descent {@code −∇V}, {@code V(y) ≥ V(x)} for ascent
     * (discrete gradient methods).
     */
    ENERGY_DISSIPATING,
    /**
     * For a sphere-preserving field {@code S(x)x} with {@code S} skew, {@code ‖y‖ = ‖x‖} up to
     * round-off.
     */
    NORM_PRESERVING,
    /**
     * Every linear first integral {@code cᵀx} of the field is kept, e.g. the total mass
     * {@code Σxᵢ} of a mass-preserving field (every Runge–Kutta method).
     */
    LINEAR_INVARIANTS,
    /**
     * Every quadratic first integral {@code xᵀCx} of the field is kept (implicit midpoint); it
     * implies {@link #NORM_PRESERVING} for sphere-preserving fields.
     */
    QUADRATIC_INVARIANTS
}
