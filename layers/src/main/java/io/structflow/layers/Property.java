package io.structflow.layers;

/**
 * A structural property that a layer can guarantee by construction, for every input and every
 * parameter value its constraints allow ([CMOSS] Table 1).
 */
public enum Property {
    /** {@code ‖Φ(x) − Φ(y)‖₂ ≤ ‖x − y‖₂} per sample: the non-expansive layers of [CMOSS] §3 ((3.5), (3.10)). */
    LIPSCHITZ_1,
    /** {@code (∂Φ/∂x)ᵀ 𝕁 (∂Φ/∂x) = 𝕁} on {@code x = [q, p]}: Hamiltonian networks, [M-slides], [CMOSS] §4. */
    SYMPLECTIC,
    /** {@code det ∂Φ/∂x = 1}: volume-preserving networks, [CMOSS] §4.2. */
    VOLUME_PRESERVING,
    /** {@code Σᵢ Φ(x)ᵢ = Σᵢ xᵢ}: mass-preserving networks, [CMOSS] (4.2). */
    MASS_PRESERVING,
    /** {@code ‖Φ(x)‖₂ = ‖x‖₂}: networks on the sphere, [CMOSS] §4.1, Thm 2.2. */
    NORM_PRESERVING,
    /** An exact inverse {@code Φ⁻¹} is available ({@link Invertible}). */
    INVERTIBLE
}
