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
        if (n < 2) {
            throw new IllegalArgumentException("TriangularSkewField: n expected ≥ 2 but got " + n);
        }
        this.n = n;
        FieldChecks.positive("TriangularSkewField", "k", k);
        this.sigma = Objects.requireNonNull(sigma, "TriangularSkewField: sigma");
        this.type = FieldChecks.floating("TriangularSkewField", type);
        FieldChecks.rng("TriangularSkewField", rng);
        int entries = n * (n - 1) / 2;
        c = register("C", Parameter.of("C", Tensor.randn(type, rng, k, n).mul(1 / Math.sqrt(n))));
        b = register("b", Parameter.of("b", Tensor.randn(type, rng, k).mul(0.1)));
        bOut = register("B", Parameter.of("B", Tensor.randn(type, rng, entries, k).mul(1 / Math.sqrt(k))));
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
        Tensor a = upperTriangle(v, z.size(0));
        return a.sub(a.permute(0, 2, 1));
    }

    /**
     * A {@code [batch, n, n]}, strictly upper triangular, its row i the {@code n − 1 − i} entries of
     * {@code v} that follow rows 0..i−1, after {@code i + 1} zeros: one concatenation of slices,
     * O(batch·n²) work.
     */
    private Tensor upperTriangle(Tensor v, long batch) {
        Tensor[] pieces = new Tensor[2 * n - 1];
        long offset = 0;
        for (int i = 0; i < n; i++) {
            pieces[2 * i] = Tensor.zeros(type, batch, i + 1);
            if (i < n - 1) {
                pieces[2 * i + 1] = v.slice(1, offset, offset + n - 1 - i);
                offset += n - 1 - i;
            }
        }
        return Tensor.concat(1, pieces).reshape(batch, n, n);
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }
}
