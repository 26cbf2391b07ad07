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
 * The projected sphere-preserving field of [CMOSS] (below Thm 2.2):
 * <pre>  f(z) = P(z) BᵀΣ(Cz + d),   P(z) = I − zzᵀ/‖z‖²</pre>
 * tangent to the sphere through z. With {@code w = BᵀΣ(Cz + d)} it is {@code S(z)z} for the skew
 * matrix {@code S(z) = (wzᵀ − zwᵀ)/‖z‖²}, so norm-preserving integrators (CayleyHeun,
 * ImplicitMidpoint) keep {@code ‖z‖}. Defined for {@code z ≠ 0}. Parameters: {@code C}
 * {@code [k, n]}, {@code d} {@code [k]}, {@code B} {@code [k, n]}.
 */
public final class ProjectedSphereField extends Module implements SkewField, LayerField {
    private final int n;
    private final Activation sigma;
    private final DataType type;
    private final Parameter c;
    private final Parameter d;
    private final Parameter bOut;

    /**
     * @param n     state dimension ≥ 2
     * @param k     hidden width
     * @param sigma activation Σ
     * @param type  FLOAT or DOUBLE
     * @param rng   seeded generator
     */
    public ProjectedSphereField(int n, int k, Activation sigma, DataType type, SplittableRandom rng) {
        this(sigma, Tensor.randn(FieldChecks.floating("ProjectedSphereField", type),
                        FieldChecks.rng("ProjectedSphereField", rng),
                        FieldChecks.positive("ProjectedSphereField", "k", k),
                        FieldChecks.atLeastTwo("ProjectedSphereField", "n", n)).mul(1 / Math.sqrt(n)),
                Tensor.randn(type, rng, k).mul(0.1), Tensor.randn(type, rng, k, n).mul(1 / Math.sqrt(k)));
    }

    /** Copies the tensors, already checked, into parameters. */
    private ProjectedSphereField(Activation sigma, Tensor C, Tensor d, Tensor B) {
        this.sigma = Objects.requireNonNull(sigma, "ProjectedSphereField: sigma");
        this.n = (int) C.size(1);
        this.type = C.dtype();
        c = register("C", Parameter.of("C", C));
        this.d = register("d", Parameter.of("d", d));
        bOut = register("B", Parameter.of("B", B));
    }

    /**
     * The field with the given weights, copied into the parameters of the same names.
     *
     * @param sigma Σ
     * @param C     {@code [k, n]}, n ≥ 2
     * @param d     {@code [k]}
     * @param B     {@code [k, n]}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static ProjectedSphereField fromWeights(Activation sigma, Tensor C, Tensor d, Tensor B) {
        GivenWeights given = new GivenWeights("ProjectedSphereField.fromWeights");
        given.require("C", C, "k", "n");
        if (given.size("n") < 2) {
            throw given.bad("C", "n ≥ 2 columns", given.size("n"));
        }
        given.require("d", d, "k");
        given.require("B", B, "k", "n");
        return new ProjectedSphereField(sigma, C, d, B);
    }

    @Override
    public DataType dtype() {
        return type;
    }

    @Override
    public void checkInput(String where, Tensor x) {
        FieldChecks.requireVectors(where, x, n, type);
    }

    private Tensor direction(Tensor z) {
        return sigma.apply(z.matmul(c, false, true).add(d)).matmul(bOut);
    }

    /** {@code S(z) = (wzᵀ − zwᵀ)/‖z‖²}, {@code [batch, n, n]}. */
    @Override
    public Tensor skew(Tensor z) {
        checkInput("ProjectedSphereField.skew", z);
        long batch = z.size(0);
        Tensor w = direction(z).reshape(batch, n, 1);
        Tensor zr = z.reshape(batch, 1, n);
        Tensor outer = w.matmul(zr);
        Tensor norm2 = z.square().sum(true, 1).reshape(batch, 1, 1);
        return outer.sub(outer.permute(0, 2, 1)).div(norm2);
    }

    /** {@code w − z(zᵀw)/‖z‖²} (the projection, without forming S). */
    @Override
    public Tensor apply(Tensor z) {
        checkInput("ProjectedSphereField.apply", z);
        Tensor w = direction(z);
        Tensor coefficient = z.mul(w).sum(true, 1).div(z.square().sum(true, 1));
        return w.sub(z.mul(coefficient));
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }
}
