package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A plain two-layer perceptron field, the residual branch of a reference ResNet ([CMOSS] (1.2)):
 * <pre>  f(x) = W₂σ(W₁x + b₁) + b₂</pre>
 * Children {@code inner} ({@code n → m}) and {@code outer} ({@code m → n}), PyTorch-style
 * uniform initialisation ({@link Linear}). No structural property.
 */
public final class MlpField extends Module implements LayerField {
    private final int n;
    private final Activation sigma;
    private final DataType type;
    private final Linear inner;
    private final Linear outer;

    /**
     * @param n     state dimension
     * @param m     hidden width
     * @param sigma activation
     * @param type  FLOAT or DOUBLE
     * @param rng   seeded generator
     */
    public MlpField(int n, int m, Activation sigma, DataType type, SplittableRandom rng) {
        this.n = FieldChecks.positive("MlpField", "n", n);
        FieldChecks.positive("MlpField", "m", m);
        this.sigma = Objects.requireNonNull(sigma, "MlpField: sigma");
        this.type = FieldChecks.floating("MlpField", type);
        FieldChecks.rng("MlpField", rng);
        inner = register("inner", new Linear(n, m, true, type, rng));
        outer = register("outer", new Linear(m, n, true, type, rng));
    }

    @Override
    public DataType dtype() {
        return type;
    }

    @Override
    public void checkInput(String where, Tensor x) {
        FieldChecks.requireVectors(where, x, n, type);
    }

    @Override
    public Tensor apply(Tensor x) {
        checkInput("MlpField.apply", x);
        return outer.forward(sigma.apply(inner.forward(x)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }
}
