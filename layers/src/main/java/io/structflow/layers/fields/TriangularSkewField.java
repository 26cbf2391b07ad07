package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.SkewField;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The sphere-preserving field of [CMOSS] Thm 2.2:
 * <pre>  f(z) = (A(z) − A(z)ᵀ) z,   A(z) strictly upper triangular with entries v(z) = BΣ(Cz + b)</pre>
 * the {@code n(n−1)/2} entries of {@code v(z)} filling the strict upper triangle row by row.
 * {@code S(z) = A(z) − A(z)ᵀ} is skew, so {@code ‖z‖} is a first integral; with a norm-preserving
 * integrator (CayleyHeun, ImplicitMidpoint) the layer keeps it. Parameters: {@code C}
 * {@code [k, n]}, {@code b} {@code [k]}, {@code B} {@code [n(n−1)/2, k]} (all {@code N(0, 1/fan_in)}).
 */
public final class TriangularSkewField extends Module implements SkewField, LayerField {
    private final int n;
    private final Activation sigma;
    private final DataType type;
    private final Parameter c;
    private final Parameter b;
    private final Parameter bOut;

    /**
     * @param n     state dimension ≥ 2
     * @param k     hidden width
     * @param sigma activation Σ
     * @param type  FLOAT or DOUBLE
     * @param rng   seeded generator
     */
    public TriangularSkewField(int n, int k, Activation sigma, DataType type, SplittableRandom rng) {
        this(sigma, Tensor.randn(FieldChecks.floating("TriangularSkewField", type),
                        FieldChecks.rng("TriangularSkewField", rng),
                        FieldChecks.positive("TriangularSkewField", "k", k),
                        FieldChecks.atLeastTwo("TriangularSkewField", "n", n)).mul(1 / Math.sqrt(n)),
                Tensor.randn(type, rng, k).mul(0.1),
                Tensor.randn(type, rng, StrictUpperTriangle.entries(n), k).mul(1 / Math.sqrt(k)));
    }

    /** Copies the tensors, already checked, into parameters. */
    private TriangularSkewField(Activation sigma, Tensor C, Tensor b, Tensor B) {
        this.sigma = Objects.requireNonNull(sigma, "TriangularSkewField: sigma");
        this.n = (int) C.size(1);
        this.type = C.dtype();
        c = register("C", Parameter.of("C", C));
        this.b = register("b", Parameter.of("b", b));
        bOut = register("B", Parameter.of("B", B));
    }

    /**
     * The field with the given weights, copied into the parameters of the same names.
     *
     * @param sigma Σ
     * @param C     {@code [k, n]}, n ≥ 2
     * @param b     {@code [k]}
     * @param B     {@code [n(n−1)/2, k]}: row p gives the p-th strictly upper entry of A
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static TriangularSkewField fromWeights(Activation sigma, Tensor C, Tensor b, Tensor B) {
        GivenWeights given = new GivenWeights("TriangularSkewField.fromWeights");
        given.require("C", C, "k", "n");
        if (given.size("n") < 2) {
            throw given.bad("C", "n ≥ 2 columns", given.size("n"));
        }
        given.define("n(n−1)/2", StrictUpperTriangle.entries((int) given.size("n")));
        given.require("b", b, "k");
        given.require("B", B, "n(n−1)/2", "k");
        return new TriangularSkewField(sigma, C, b, B);
    }

    @Override
    public DataType dtype() {
        return type;
    }

    @Override
    public void checkInput(String where, Tensor x) {
        FieldChecks.requireVectors(where, x, n, type);
    }

    /** {@code S(z) = A(z) − A(z)ᵀ}, {@code [batch, n, n]}. */
    @Override
    public Tensor skew(Tensor z) {
        checkInput("TriangularSkewField.skew", z);
        Tensor v = sigma.apply(z.matmul(c, false, true).add(b)).matmul(bOut, false, true);
        Tensor a = StrictUpperTriangle.fill(v, n);
        return a.sub(a.permute(0, 2, 1));
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }
}
