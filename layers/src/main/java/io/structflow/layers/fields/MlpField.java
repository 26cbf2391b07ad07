package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.GivenWeights;
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
        this(sigma, new Linear(FieldChecks.positive("MlpField", "n", n), FieldChecks.positive("MlpField", "m", m), true,
                FieldChecks.floating("MlpField", type), FieldChecks.rng("MlpField", rng)),
                new Linear(m, n, true, type, rng));
    }

    private MlpField(Activation sigma, Linear inner, Linear outer) {
        this.sigma = Objects.requireNonNull(sigma, "MlpField: sigma");
        this.n = (int) inner.weight().size(1);
        this.type = inner.weight().dtype();
        this.inner = register("inner", inner);
        this.outer = register("outer", outer);
    }

    /**
     * The field with the given weights, copied; its {@link #namedParameters()} are
     * {@code inner.weight, inner.bias, outer.weight, outer.bias}.
     *
     * @param sigma       σ
     * @param innerWeight W₁, {@code [m, n]}
     * @param innerBias   b₁, {@code [m]}
     * @param outerWeight W₂, {@code [n, m]}
     * @param outerBias   b₂, {@code [n]}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static MlpField fromWeights(Activation sigma, Tensor innerWeight, Tensor innerBias, Tensor outerWeight,
                                       Tensor outerBias) {
        GivenWeights given = new GivenWeights("MlpField.fromWeights");
        given.require("innerWeight", innerWeight, "m", "n");
        given.require("innerBias", innerBias, "m");
        given.require("outerWeight", outerWeight, "n", "m");
        given.require("outerBias", outerBias, "n");
        return new MlpField(sigma, Linear.fromWeights(innerWeight, innerBias),
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
