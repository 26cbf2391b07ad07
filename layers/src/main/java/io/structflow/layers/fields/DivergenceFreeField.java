package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.integrators.PartitionedField;
import io.structflow.integrators.ShearSplitField;
import io.structflow.integrators.VectorField;
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
 * a layer derives {@link io.structflow.layers.Property#VOLUME_PRESERVING} ({@code det J = 1}),
 * {@link io.structflow.layers.Property#INVERTIBLE} (undo the shears in reverse order) and, in two dimensions,
 * {@link io.structflow.layers.Property#SYMPLECTIC}. Explicit Euler on the whole field is none of these. Children
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
        this(sigma, new Linear(FieldChecks.even("DivergenceFreeField", "dimension", dimension) / 2,
                        FieldChecks.positive("DivergenceFreeField", "m", m), true,
                        FieldChecks.floating("DivergenceFreeField", type), FieldChecks.rng("DivergenceFreeField", rng)),
                new Linear(m, dimension / 2, true, type, rng), new Linear(dimension / 2, m, true, type, rng),
                new Linear(m, dimension / 2, true, type, rng));
    }

    private DivergenceFreeField(Activation sigma, Linear u1, Linear u2, Linear v1, Linear v2) {
        this.sigma = Objects.requireNonNull(sigma, "DivergenceFreeField: sigma");
        this.d = (int) u1.weight().size(1);
        this.type = u1.weight().dtype();
        this.u1 = register("u1", u1);
        this.u2 = register("u2", u2);
        this.v1 = register("v1", v1);
        this.v2 = register("v2", v2);
    }

    /**
     * The field with the given weights, copied; its {@link #namedParameters()} are
     * {@code u1.weight, u1.bias, u2.weight, u2.bias, v1.weight, v1.bias, v2.weight, v2.bias}.
     *
     * @param sigma    σ
     * @param u1Weight U₁, {@code [m, d]}
     * @param u1Bias   c₁, {@code [m]}
     * @param u2Weight U₂, {@code [d, m]}
     * @param u2Bias   c₂, {@code [d]}
     * @param v1Weight V₁, {@code [k, d]} (k may differ from m)
     * @param v1Bias   e₁, {@code [k]}
     * @param v2Weight V₂, {@code [d, k]}
     * @param v2Bias   e₂, {@code [d]}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static DivergenceFreeField fromWeights(Activation sigma, Tensor u1Weight, Tensor u1Bias, Tensor u2Weight,
                                                  Tensor u2Bias, Tensor v1Weight, Tensor v1Bias, Tensor v2Weight,
                                                  Tensor v2Bias) {
        GivenWeights given = new GivenWeights("DivergenceFreeField.fromWeights");
        given.require("u1Weight", u1Weight, "m", "d");
        given.require("u1Bias", u1Bias, "m");
        given.require("u2Weight", u2Weight, "d", "m");
        given.require("u2Bias", u2Bias, "d");
        given.require("v1Weight", v1Weight, "k", "d");
        given.require("v1Bias", v1Bias, "k");
        given.require("v2Weight", v2Weight, "d", "k");
        given.require("v2Bias", v2Bias, "d");
        return new DivergenceFreeField(sigma, Linear.fromWeights(u1Weight, u1Bias),
                Linear.fromWeights(u2Weight, u2Bias), Linear.fromWeights(v1Weight, v1Bias),
                Linear.fromWeights(v2Weight, v2Bias));
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
