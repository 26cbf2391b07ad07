package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
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
        if (n < 2) {
            throw new IllegalArgumentException("ProjectedSphereField: n expected ≥ 2 but got " + n);
        }
        this.n = n;
        FieldChecks.positive("ProjectedSphereField", "k", k);
        this.sigma = Objects.requireNonNull(sigma, "ProjectedSphereField: sigma");
        this.type = FieldChecks.floating("ProjectedSphereField", type);
        FieldChecks.rng("ProjectedSphereField", rng);
        c = register("C", Parameter.of("C", Tensor.randn(type, rng, k, n).mul(1 / Math.sqrt(n))));
        d = register("d", Parameter.of("d", Tensor.randn(type, rng, k).mul(0.1)));
        bOut = register("B", Parameter.of("B", Tensor.randn(type, rng, k, n).mul(1 / Math.sqrt(k))));
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
