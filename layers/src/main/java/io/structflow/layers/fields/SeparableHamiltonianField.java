package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.SeparableHamiltonian;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The separable network Hamiltonian of [M-slides] on {@code x = [q, p]}, {@code q, p ∈ ℝᵈ}:
 * <pre>
 *   H(q, p) = K(p) + U(q),   K(p) = uᵀγ(Ap + a),   U(q) = vᵀγ(Bq + b),   γ = Γ (γ' = σ)
 *   ∂K/∂p = Aᵀ(u ⊙ σ(Ap + a)),   ∂U/∂q = Bᵀ(v ⊙ σ(Bq + b))
 * </pre>
 * the fields of the gradient modules of SympNets. Symplectic Euler and Störmer–Verlet step it
 * explicitly, symplectically and with an exact inverse. Parameters {@code A, B} {@code [m, d]}
 * (orthogonal init), {@code a, b} {@code [m]} ({@code U(−0.1, 0.1)}), {@code u, v} {@code [m]}
 * ({@code U(−1, 1)}).
 */
public final class SeparableHamiltonianField extends Module implements SeparableHamiltonian, LayerField {
    private final int d;
    private final Activation sigma;
    private final DataType type;
    private final Parameter kineticWeight;
    private final Parameter kineticBias;
    private final Parameter u;
    private final Parameter potentialWeight;
    private final Parameter potentialBias;
    private final Parameter v;

    /**
     * @param dimension the state dimension 2d (even)
     * @param m         width of each network
     * @param sigma     σ = γ'
     * @param type      FLOAT or DOUBLE
     * @param rng       seeded generator
     */
    public SeparableHamiltonianField(int dimension, int m, Activation sigma, DataType type, SplittableRandom rng) {
        String name = "SeparableHamiltonianField";
        this.d = FieldChecks.even(name, "dimension", dimension) / 2;
        FieldChecks.positive(name, "m", m);
        this.sigma = Objects.requireNonNull(sigma, name + ": sigma");
        this.type = FieldChecks.floating(name, type);
        FieldChecks.rng(name, rng);
        kineticWeight = register("A", Parameter.of("A", io.structflow.core.nn.Init.orthogonal(type, rng, m, d)));
        kineticBias = register("a", Parameter.of("a", Tensor.uniform(type, rng, -0.1, 0.1, m)));
        u = register("u", Parameter.of("u", Tensor.uniform(type, rng, -1, 1, m)));
        potentialWeight = register("B", Parameter.of("B", io.structflow.core.nn.Init.orthogonal(type, rng, m, d)));
        potentialBias = register("b", Parameter.of("b", Tensor.uniform(type, rng, -0.1, 0.1, m)));
        v = register("v", Parameter.of("v", Tensor.uniform(type, rng, -1, 1, m)));
    }

    @Override
    public DataType dtype() {
        return type;
    }

    @Override
    public void checkInput(String where, Tensor x) {
        FieldChecks.requireVectors(where, x, 2L * d, type);
    }

    private void checkHalf(String where, Tensor t) {
        FieldChecks.requireVectors(where, t, d, type);
    }

    /** {@code uᵀΓ(Ap + a)}, {@code [batch]}. */
    @Override
    public Tensor kinetic(Tensor p) {
        checkHalf("SeparableHamiltonianField.kinetic", p);
        return sigma.antiderivative(p.matmul(kineticWeight, false, true).add(kineticBias)).mul(u).sum(false, 1);
    }

    /** {@code vᵀΓ(Bq + b)}, {@code [batch]}. */
    @Override
    public Tensor potential(Tensor q) {
        checkHalf("SeparableHamiltonianField.potential", q);
        return sigma.antiderivative(q.matmul(potentialWeight, false, true).add(potentialBias)).mul(v).sum(false, 1);
    }

    /** {@code Aᵀ(u ⊙ σ(Ap + a))} (closed form). */
    @Override
    public Tensor dKdp(Tensor p) {
        checkHalf("SeparableHamiltonianField.dKdp", p);
        return sigma.apply(p.matmul(kineticWeight, false, true).add(kineticBias)).mul(u).matmul(kineticWeight);
    }

    /** {@code Bᵀ(v ⊙ σ(Bq + b))} (closed form). */
    @Override
    public Tensor dUdq(Tensor q) {
        checkHalf("SeparableHamiltonianField.dUdq", q);
        return sigma.apply(q.matmul(potentialWeight, false, true).add(potentialBias)).mul(v).matmul(potentialWeight);
    }

    /** {@code (∂K/∂p, −∂U/∂q)}. */
    @Override
    public Tensor apply(Tensor x) {
        checkInput("SeparableHamiltonianField.apply", x);
        return SeparableHamiltonian.super.apply(x);
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }
}
