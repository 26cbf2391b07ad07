package io.structflow.integrators.symplectic;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.PartitionedField;
import io.structflow.integrators.SeparableHamiltonian;
import io.structflow.integrators.Structure;
import io.structflow.integrators.internal.Checks;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Störmer–Verlet (leapfrog, kick–drift–kick) for a separable Hamiltonian {@code H = K(p) + U(q)}:
 * <pre>
 *   p½ = p − (h/2) ∂U/∂q(q),   q' = q + h ∂K/∂p(p½),   p' = p½ − (h/2) ∂U/∂q(q')
 * </pre>
 * the composition of the two symplectic Euler variants at half steps; symmetric. Order 2.
 * Structure: {@link Structure#SYMPLECTIC}, {@link Structure#VOLUME_PRESERVING}. Cost: two
 * evaluations of {@code ∂U/∂q}, one of {@code ∂K/∂p}. Reference: Hairer, Lubich, Wanner,
 * <i>Geometric numerical integration illustrated by the Störmer–Verlet method</i>, Acta Numerica
 * 12 (2003), doi:10.1017/S0962492902000144.
 */
public final class StormerVerlet implements Integrator<SeparableHamiltonian> {
    @Override
    public Tensor step(SeparableHamiltonian field, Tensor x, Tensor h) {
        Tensor step = Checks.step(name(), x, h);
        Checks.halfDimension(name(), x);
        Tensor half = step.mul(0.5);
        Tensor q = PartitionedField.positions(x);
        Tensor p = PartitionedField.momenta(x);
        Tensor pHalf = p.sub(Shears.dUdq(name(), field, q).mul(half));
        Tensor qNew = q.add(Shears.dKdp(name(), field, pHalf).mul(step));
        Tensor pNew = pHalf.sub(Shears.dUdq(name(), field, qNew).mul(half));
        return Tensor.concat(-1, qNew, pNew);
    }

    @Override
    public int order() {
        return 2;
    }

    /** Symmetric, so its own adjoint: {@code φ_{−h} ∘ φ_h = id}. */
    @Override
    public Optional<Integrator<SeparableHamiltonian>> explicitAdjoint() {
        return Optional.of(this);
    }

    /** Shears of sizes h/2, h, h/2: {@code (1 + |h|L/2)²(1 + |h|L)}. */
    @Override
    public double stepLipschitzBound(double fieldLipschitz, double h) {
        return h == 0 ? 1 : Shears.lipschitzBound(fieldLipschitz, h, 0.5, 1, 0.5);
    }

    @Override
    public Set<Structure> structure() {
        return EnumSet.of(Structure.SYMPLECTIC, Structure.VOLUME_PRESERVING);
    }
}
