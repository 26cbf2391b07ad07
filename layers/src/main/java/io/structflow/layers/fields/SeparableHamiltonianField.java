package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.Init;
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
        this(sigma, Init.orthogonal(FieldChecks.floating("SeparableHamiltonianField", type),
                        FieldChecks.rng("SeparableHamiltonianField", rng),
                        FieldChecks.positive("SeparableHamiltonianField", "m", m),
                        FieldChecks.even("SeparableHamiltonianField", "dimension", dimension) / 2),
                Tensor.uniform(type, rng, -0.1, 0.1, m), Tensor.uniform(type, rng, -1, 1, m),
                Init.orthogonal(type, rng, m, dimension / 2), Tensor.uniform(type, rng, -0.1, 0.1, m),
                Tensor.uniform(type, rng, -1, 1, m));
    }

    /** Copies the tensors, already checked, into parameters. */
    private SeparableHamiltonianField(Activation sigma, Tensor A, Tensor a, Tensor u, Tensor B, Tensor b, Tensor v) {
        this.sigma = Objects.requireNonNull(sigma, "SeparableHamiltonianField: sigma");
        this.d = (int) A.size(1);
        this.type = A.dtype();
        kineticWeight = register("A", Parameter.of("A", A));
        kineticBias = register("a", Parameter.of("a", a));
        this.u = register("u", Parameter.of("u", u));
        potentialWeight = register("B", Parameter.of("B", B));
        potentialBias = register("b", Parameter.of("b", b));
        this.v = register("v", Parameter.of("v", v));
    }

    /**
     * The field with the given weights, copied into the parameters of the same names.
     *
     * @param sigma σ = γ'
     * @param A     {@code [m, d]}, of K
     * @param a     {@code [m]}
     * @param u     {@code [m]}
     * @param B     {@code [k, d]}, of U (k may differ from m)
     * @param b     {@code [k]}
     * @param v     {@code [k]}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static SeparableHamiltonianField fromWeights(Activation sigma, Tensor A, Tensor a, Tensor u, Tensor B,
                                                        Tensor b, Tensor v) {
        GivenWeights given = new GivenWeights("SeparableHamiltonianField.fromWeights");
        given.require("A", A, "m", "d");
        given.require("a", a, "m");
        given.require("u", u, "m");
        given.require("B", B, "k", "d");
        given.require("b", b, "k");
        given.require("v", v, "k");
        return new SeparableHamiltonianField(sigma, A, a, u, B, b, v);
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
