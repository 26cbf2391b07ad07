package io.structflow.integrators.symplectic;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.SeparableHamiltonian;
import io.structflow.integrators.Structure;
import io.structflow.integrators.internal.Checks;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Yoshida's fourth-order "triple jump" for a separable Hamiltonian {@code H = K(p) + U(q)}: the
 * symmetric composition of three Störmer–Verlet steps Φ,
 * <pre>
 *   φ_h = Φ_{γ₁h} ∘ Φ_{γ₀h} ∘ Φ_{γ₁h},   γ₁ = 1/(2 − 2^{1/3}),   γ₀ = −2^{1/3}/(2 − 2^{1/3}) = 1 − 2γ₁
 * </pre>
 * which raises a symmetric method of order 2 to order 4 (Hairer, Lubich, Wanner, <i>Geometric
 * Numerical Integration</i>, 2nd ed., Springer 2006, §II.4, Example 4.2,
 * doi:10.1007/3-540-30666-8; Yoshida, Phys. Lett. A 150 (1990) 262–268; Forest &amp; Ruth, Physica D
 * 43 (1990) 105–117). Order 4. Structure: {@link Structure#SYMPLECTIC},
 * {@link Structure#VOLUME_PRESERVING} (a composition of symplectic maps). Symmetric, so its own
 * adjoint: {@code φ_{−h} ∘ φ_h = id}. Cost: three Störmer–Verlet steps.
 */
public final class Yoshida4 implements Integrator<SeparableHamiltonian> {
    private static final double OUTER = 1 / (2 - Math.cbrt(2));
    private static final double MIDDLE = 1 - 2 * OUTER;
    private final StormerVerlet verlet = new StormerVerlet();

    @Override
    public Tensor step(SeparableHamiltonian field, Tensor x, Tensor h) {
        Tensor step = Checks.step(name(), x, h);
        Tensor y = verlet.step(field, x, step.mul(OUTER));
        y = verlet.step(field, y, step.mul(MIDDLE));
        return verlet.step(field, y, step.mul(OUTER));
    }

    @Override
    public int order() {
        return 4;
    }

    @Override
    public Set<Structure> structure() {
        return EnumSet.of(Structure.SYMPLECTIC, Structure.VOLUME_PRESERVING);
    }

    /** Symmetric, so its own adjoint. */
    @Override
    public Optional<Integrator<SeparableHamiltonian>> explicitAdjoint() {
        return Optional.of(this);
    }

    /** The product of the three Störmer–Verlet bounds. */
    @Override
    public double stepLipschitzBound(double fieldLipschitz, double h) {
        double outer = verlet.stepLipschitzBound(fieldLipschitz, OUTER * h);
        return outer * verlet.stepLipschitzBound(fieldLipschitz, MIDDLE * h) * outer;
    }
}
