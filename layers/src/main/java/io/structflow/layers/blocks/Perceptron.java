package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One-hidden-layer perceptron {@code u ↦ W₂ σ(W₁u + b₁) + b₂}, {@code [batch, in] → [batch, out]}:
 * the coupling functions of {@link AdditiveCoupling}. Xavier-uniform weights, zero biases.
 */
final class Perceptron extends Module {
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;
    private final Activation sigma;
    private final int in;

    /**
     * Copies the tensors, already checked: W₁ {@code [hidden, in]}, b₁ {@code [hidden]},
     * W₂ {@code [out, hidden]}, b₂ {@code [out]}.
     */
    Perceptron(Activation sigma, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        this.in = (int) w1.size(1);
        this.sigma = sigma;
        this.w1 = register("W1", Parameter.of("W1", w1));
        this.b1 = register("b1", Parameter.of("b1", b1));
        this.w2 = register("W2", Parameter.of("W2", w2));
        this.b2 = register("b2", Parameter.of("b2", b2));
    }

    /** Xavier-uniform weights, zero biases. */
    static Perceptron random(int in, int hidden, int out, Activation sigma, SplittableRandom rng, DataType type) {
        return new Perceptron(sigma, Init.xavierUniform(type, rng, hidden, in), Tensor.zeros(type, hidden),
                Init.xavierUniform(type, rng, out, hidden), Tensor.zeros(type, out));
    }

    @Override
    public Tensor forward(Tensor u) {
        Shapes.require("Perceptron.forward", "u", u, -1, in);
        return sigma.apply(u.matmul(w1, false, true).add(b1)).matmul(w2, false, true).add(b2);
    }
}
