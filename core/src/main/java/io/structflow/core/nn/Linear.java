package io.structflow.core.nn;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Affine map {@code y = x Wᵀ + b}: x {@code [batch, in]}, W {@code [out, in]}, b {@code [out]},
 * y {@code [batch, out]}. Weights are Kaiming-uniform initialised (as PyTorch's {@code nn.Linear}),
 * from a seeded generator.
 */
public final class Linear extends Module implements Exportable {
    private final Parameter weight;
    private final Parameter bias;

    /** With bias, float32. */
    public Linear(int in, int out, SplittableRandom rng) {
        this(in, out, true, DataType.FLOAT, rng);
    }

    /** Full control over bias and element type. */
    public Linear(int in, int out, boolean withBias, DataType type, SplittableRandom rng) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear: expected positive sizes but got in=" + in + ", out=" + out);
        }
        double bound = 1.0 / Math.sqrt(in);
        weight = register("weight", Parameter.of("weight", Tensor.uniform(type, rng, -bound, bound, out, in)));
        bias = withBias ? register("bias", Parameter.of("bias", Tensor.uniform(type, rng, -bound, bound, out))) : null;
    }

    private Linear(Parameter weight, Parameter bias) {
        this.weight = register("weight", weight);
        this.bias = bias == null ? null : register("bias", bias);
    }

    /**
     * The map with the given weights, copied: later changes to the arguments do not reach the layer.
     *
     * @param weight W, {@code [out, in]}
     * @param bias   b, {@code [out]} of W's element type, or null for a map without bias
     */
    public static Linear fromWeights(Tensor weight, Tensor bias) {
        GivenWeights given = new GivenWeights("Linear.fromWeights");
        given.require("weight", weight, "out", "in");
        if (bias != null) {
            given.require("bias", bias, "out");
        }
        return new Linear(Parameter.of("weight", weight), bias == null ? null : Parameter.of("bias", bias));
    }

    /** W, {@code [out, in]}. */
    public Parameter weight() {
        return weight;
    }

    /** b, {@code [out]}, or null without bias. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        Shapes.require("Linear.forward", "x", x, -1, weight.size(1));
        Tensor y = x.matmul(weight, false, true);
        return bias == null ? y : y.add(bias);
    }

    /** One Gemm. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        return graph.linear(x, weight.effective().value(), bias == null ? null : bias.value());
    }
}
