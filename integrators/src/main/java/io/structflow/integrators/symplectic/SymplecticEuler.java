package io.structflow.integrators.symplectic;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.PartitionedField;
import io.structflow.integrators.SeparableHamiltonian;
import io.structflow.integrators.Structure;
import io.structflow.integrators.internal.Checks;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Symplectic Euler for a separable Hamiltonian {@code H = K(p) + U(q)}, explicit in both variants:
 * <pre>
 *   {@link Variant#P_FIRST}:  p' = p − h ∂U/∂q(q),   q' = q + h ∂K/∂p(p')
 *   {@link Variant#Q_FIRST}:  q' = q + h ∂K/∂p(p),   p' = p − h ∂U/∂q(q')
 * </pre>
 * The two variants are adjoint to each other; composing one with the other at half steps gives
 * Störmer–Verlet. Each is a composition of two shears, the layers of SympNets and of the
 * Hamiltonian networks of [M-slides]. Order 1. Structure: {@link Structure#SYMPLECTIC},
 * {@link Structure#VOLUME_PRESERVING}. Cost: one evaluation each of {@code ∂U/∂q} and
 * {@code ∂K/∂p}. Reference: Hairer, Lubich, Wanner, <i>Geometric Numerical Integration</i>,
 * 2nd ed., Springer 2006, Thm VI.3.3, doi:10.1007/3-540-30666-8.
 */
public final class SymplecticEuler implements Integrator<SeparableHamiltonian> {
    /** Which half is updated first. */
    public enum Variant {
        /** Kick then drift: {@code p} first with the old {@code q}. */
        P_FIRST,
        /** Drift then kick: {@code q} first with the old {@code p}. */
        Q_FIRST
    }

    private final Variant variant;

    /** The {@link Variant#P_FIRST} variant. */
    public SymplecticEuler() {
        this(Variant.P_FIRST);
    }

    /** The given variant. */
    public SymplecticEuler(Variant variant) {
        this.variant = Objects.requireNonNull(variant, "variant");
    }

    /** The variant. */
    public Variant variant() {
        return variant;
    }

    @Override
    public Tensor step(SeparableHamiltonian field, Tensor x, Tensor h) {
        Tensor step = Checks.step(name(), x, h);
        Checks.halfDimension(name(), x);
        Tensor q = PartitionedField.positions(x);
        Tensor p = PartitionedField.momenta(x);
        if (variant == Variant.P_FIRST) {
            p = p.sub(Shears.dUdq(name(), field, q).mul(step));
            q = q.add(Shears.dKdp(name(), field, p).mul(step));
        } else {
            q = q.add(Shears.dKdp(name(), field, p).mul(step));
            p = p.sub(Shears.dUdq(name(), field, q).mul(step));
        }
        return Tensor.concat(-1, q, p);
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public Set<Structure> structure() {
        return EnumSet.of(Structure.SYMPLECTIC, Structure.VOLUME_PRESERVING);
    }

    /** The other variant: {@code φ*_{−h} ∘ φ_h = id} (undo the last shear first). */
    @Override
    public Optional<Integrator<SeparableHamiltonian>> explicitAdjoint() {
        return Optional.of(new SymplecticEuler(variant == Variant.P_FIRST ? Variant.Q_FIRST : Variant.P_FIRST));
    }

    /** Two shears, each {@code (1 + |h|L)}-Lipschitz: {@code (1 + |h|L)²}. */
    @Override
    public double stepLipschitzBound(double fieldLipschitz, double h) {
        return h == 0 ? 1 : Shears.lipschitzBound(fieldLipschitz, h, 1, 1);
    }

    @Override
    public String name() {
        return "SymplecticEuler(" + variant + ")";
    }
}
