package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.integrators.Structure;
import io.structflow.integrators.ZeroSumField;
import io.structflow.layers.Property;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The mass-preserving field of [CMOSS] (4.2):
 * <pre>  f(y) = (A(y) − A(y)ᵀ)𝟏,   A(y) = reshape_{n×n}(W₂σ(W₁y + b₁) + b₂)</pre>
 * Since {@code 𝟏ᵀ(A − Aᵀ)𝟏 = 0}, {@code Σᵢfᵢ = 0} and the mass {@code Σᵢyᵢ} is a linear first
 * integral ({@link ZeroSumField}), kept by every Runge–Kutta method: a layer derives
 * {@link Property#MASS_PRESERVING} for every integrator with {@link Structure#LINEAR_INVARIANTS}. The small network A(y) has children
 * {@code inner} ({@code n → m}) and {@code outer} ({@code m → n²}).
 */
public final class MassPreservingField extends Module implements LayerField, ZeroSumField {
    private final int n;
    private final Activation sigma;
    private final DataType type;
    private final Linear inner;
    private final Linear outer;

    /**
     * @param n     state dimension
     * @param m     hidden width of the network A(y)
     * @param sigma activation
     * @param type  FLOAT or DOUBLE
     * @param rng   seeded generator
     */
    public MassPreservingField(int n, int m, Activation sigma, DataType type, SplittableRandom rng) {
        this.n = FieldChecks.positive("MassPreservingField", "n", n);
        FieldChecks.positive("MassPreservingField", "m", m);
        this.sigma = Objects.requireNonNull(sigma, "MassPreservingField: sigma");
        this.type = FieldChecks.floating("MassPreservingField", type);
        FieldChecks.rng("MassPreservingField", rng);
        inner = register("inner", new Linear(n, m, true, type, rng));
        outer = register("outer", new Linear(m, n * n, true, type, rng));
    }

    @Override
    public DataType dtype() {
        return type;
    }

    @Override
    public void checkInput(String where, Tensor x) {
        FieldChecks.requireVectors(where, x, n, type);
    }

    /** {@code A(y)}, {@code [batch, n, n]}. */
    public Tensor matrix(Tensor y) {
        checkInput("MassPreservingField.matrix", y);
        return outer.forward(sigma.apply(inner.forward(y))).reshape(y.size(0), n, n);
    }

    /** Row sums minus column sums of {@code A(y)}: {@code (A − Aᵀ)𝟏}. */
    @Override
    public Tensor apply(Tensor y) {
        Tensor a = matrix(y);
        return a.sum(false, 2).sub(a.sum(false, 1));
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
