package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.integrators.Structure;
import io.structflow.integrators.ZeroSumField;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The mass-preserving field of [CMOSS] (4.2):
 * <pre>
 *   f(y) = (A(y) − A(y)ᵀ)𝟏,   A(y) strictly upper triangular, its n(n−1)/2 entries
 *   v(y) = W₂σ(W₁y + b₁) + b₂ filling the strict upper triangle row by row
 * </pre>
 * Only {@code A − Aᵀ} enters f, and it is fixed by the strictly upper entries, so these are all
 * that is parametrised: every output of the network moves f (a full n×n output would carry n
 * diagonal entries with no effect and n(n−1)/2 redundant ones). Entry {@code a_ij} adds to
 * {@code fᵢ} and subtracts from {@code f_j}, so {@code f = vE} with the incidence matrix E of
 * the pairs, whose rows sum to 0: {@code Σᵢfᵢ = 0} by construction ({@link ZeroSumField}), and the
 * mass {@code Σᵢyᵢ} is a linear first integral, kept by every Runge–Kutta method: a layer derives
 * {@link io.structflow.layers.Property#MASS_PRESERVING} for every integrator with {@link Structure#LINEAR_INVARIANTS}. Children {@code inner}
 * ({@code n → m}) and {@code outer} ({@code m → n(n−1)/2}). Cost per evaluation: the network plus
 * one {@code [batch, n(n−1)/2]×[n(n−1)/2, n]} product.
 */
public final class MassPreservingField extends Module implements LayerField, ZeroSumField {
    private final int n;
    private final Activation sigma;
    private final DataType type;
    private final Linear inner;
    private final Linear outer;
    private final Tensor incidence;

    /**
     * @param n     state dimension ≥ 2
     * @param m     hidden width of the network v(y)
     * @param sigma activation
     * @param type  FLOAT or DOUBLE
     * @param rng   seeded generator
     */
    public MassPreservingField(int n, int m, Activation sigma, DataType type, SplittableRandom rng) {
        this(sigma, new Linear(FieldChecks.atLeastTwo("MassPreservingField", "n", n),
                        FieldChecks.positive("MassPreservingField", "m", m), true,
                        FieldChecks.floating("MassPreservingField", type), FieldChecks.rng("MassPreservingField", rng)),
                new Linear(m, StrictUpperTriangle.entries(n), true, type, rng));
    }

    private MassPreservingField(Activation sigma, Linear inner, Linear outer) {
        this.sigma = Objects.requireNonNull(sigma, "MassPreservingField: sigma");
        this.n = (int) inner.weight().size(1);
        this.type = inner.weight().dtype();
        this.inner = register("inner", inner);
        this.outer = register("outer", outer);
        this.incidence = StrictUpperTriangle.incidence(n, type);
    }

    /**
     * The field with the given weights, copied; its {@link #namedParameters()} are
     * {@code inner.weight, inner.bias, outer.weight, outer.bias}.
     *
     * @param sigma       σ
     * @param innerWeight W₁, {@code [m, n]}, n ≥ 2
     * @param innerBias   b₁, {@code [m]}
     * @param outerWeight W₂, {@code [n(n−1)/2, m]}: row p gives the p-th strictly upper entry
     * @param outerBias   b₂, {@code [n(n−1)/2]}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static MassPreservingField fromWeights(Activation sigma, Tensor innerWeight, Tensor innerBias,
                                                  Tensor outerWeight, Tensor outerBias) {
        GivenWeights given = new GivenWeights("MassPreservingField.fromWeights");
        given.require("innerWeight", innerWeight, "m", "n");
        int n = (int) given.size("n");
        if (n < 2) {
            throw given.bad("innerWeight", "n ≥ 2 columns", n);
        }
        given.define("n(n−1)/2", StrictUpperTriangle.entries(n));
        given.require("innerBias", innerBias, "m");
        given.require("outerWeight", outerWeight, "n(n−1)/2", "m");
        given.require("outerBias", outerBias, "n(n−1)/2");
        return new MassPreservingField(sigma, Linear.fromWeights(innerWeight, innerBias),
                Linear.fromWeights(outerWeight, outerBias));
    }

    @Override
    public DataType dtype() {
        return type;
    }

    @Override
    public void checkInput(String where, Tensor x) {
        FieldChecks.requireVectors(where, x, n, type);
    }

    /** The strictly upper entries {@code v(y) = W₂σ(W₁y + b₁) + b₂}, {@code [batch, n(n−1)/2]}. */
    public Tensor entries(Tensor y) {
        checkInput("MassPreservingField.entries", y);
        return outer.forward(sigma.apply(inner.forward(y)));
    }

    /** {@code A(y)}, strictly upper triangular, {@code [batch, n, n]}. */
    public Tensor matrix(Tensor y) {
        return StrictUpperTriangle.fill(entries(y), n);
    }

    /** Row sums minus column sums of {@code A(y)}: {@code (A − Aᵀ)𝟏 = v(y)E}, {@code [batch, n]}. */
    @Override
    public Tensor apply(Tensor y) {
        return entries(y).matmul(incidence);
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }

    @Override
    public long dimension() {
        return n;
    }
}
