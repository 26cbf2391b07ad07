package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.integrators.PartitionedField;
import io.structflow.integrators.ShearSplitField;
import io.structflow.integrators.VectorField;
import io.structflow.layers.Property;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The partitioned divergence-free field of [CMOSS] §4.2 on {@code z = [z₁, z₂]}:
 * <pre>  f(z) = [u(z₂), v(z₁)],   u(z₂) = U₂σ(U₁z₂ + c₁) + c₂,   v(z₁) = V₂σ(V₁z₁ + e₁) + e₂</pre>
 * Each piece {@code [u(z₂), 0]} and {@code [0, v(z₁)]} ({@link #first()}, {@link #second()}) is a
 * shear whose flow {@code z₁ ↦ z₁ + τu(z₂)} every consistent Runge–Kutta method reproduces
 * exactly ({@link ShearSplitField}); a {@link io.structflow.integrators.splitting.Splitting} of the
 * two pieces with explicit Runge–Kutta sub-integrators is thus a composition of shears, from which
 * a layer derives {@link Property#VOLUME_PRESERVING} ({@code det J = 1}),
 * {@link Property#INVERTIBLE} (undo the shears in reverse order) and, in two dimensions,
 * {@link Property#SYMPLECTIC}. Explicit Euler on the whole field is none of these. Children
 * {@code u1}, {@code u2}, {@code v1}, {@code v2} ({@link Linear}).
 */
public final class DivergenceFreeField extends Module implements PartitionedField, ShearSplitField, LayerField {
    private final int d;
    private final Activation sigma;
    private final DataType type;
    private final Linear u1;
    private final Linear u2;
    private final Linear v1;
    private final Linear v2;

    /**
     * @param dimension the state dimension 2d (even)
     * @param m         hidden width of u and v
     * @param sigma     activation
     * @param type      FLOAT or DOUBLE
     * @param rng       seeded generator
     */
    public DivergenceFreeField(int dimension, int m, Activation sigma, DataType type, SplittableRandom rng) {
        String name = "DivergenceFreeField";
        this.d = FieldChecks.even(name, "dimension", dimension) / 2;
        FieldChecks.positive(name, "m", m);
        this.sigma = Objects.requireNonNull(sigma, name + ": sigma");
        this.type = FieldChecks.floating(name, type);
        FieldChecks.rng(name, rng);
        u1 = register("u1", new Linear(d, m, true, type, rng));
        u2 = register("u2", new Linear(m, d, true, type, rng));
        v1 = register("v1", new Linear(d, m, true, type, rng));
        v2 = register("v2", new Linear(m, d, true, type, rng));
    }

    @Override
    public DataType dtype() {
        return type;
    }

    @Override
    public void checkInput(String where, Tensor x) {
        FieldChecks.requireVectors(where, x, 2L * d, type);
    }

    /** {@code u(z₂)}, {@code [batch, d]}. */
    public Tensor u(Tensor z2) {
        return u2.forward(sigma.apply(u1.forward(z2)));
    }

    /** {@code v(z₁)}, {@code [batch, d]}. */
    public Tensor v(Tensor z1) {
        return v2.forward(sigma.apply(v1.forward(z1)));
    }

    @Override
    public Tensor qVelocity(Tensor q, Tensor p) {
        return u(p);
    }

    @Override
    public Tensor pVelocity(Tensor q, Tensor p) {
        return v(q);
    }

    /** {@code [u(z₂), v(z₁)]}. */
    @Override
    public Tensor apply(Tensor x) {
        checkInput("DivergenceFreeField.apply", x);
        return PartitionedField.super.apply(x);
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }

    /** The shear piece {@code [u(z₂), 0]}. */
    @Override
    public VectorField first() {
        return x -> {
            checkInput("DivergenceFreeField.first", x);
            Tensor p = PartitionedField.momenta(x);
            return Tensor.concat(-1, u(p), Tensor.zeros(x.dtype(), p.shape()));
        };
    }

    /** The shear piece {@code [0, v(z₁)]}. */
    @Override
    public VectorField second() {
        return x -> {
            checkInput("DivergenceFreeField.second", x);
            Tensor q = PartitionedField.positions(x);
            return Tensor.concat(-1, Tensor.zeros(x.dtype(), q.shape()), v(q));
        };
    }

    @Override
    public long dimension() {
        return 2L * d;
    }
}
