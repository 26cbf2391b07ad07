package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.integrators.HamiltonianField;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A Hamiltonian network field [M-slides], [CMOSS] §4:
 * <pre>  f(x) = 𝕁∇H_θ(x),   H_θ(x) = w₃ᵀ tanh(W₂ tanh(W₁x + b₁) + b₂) + b₃</pre>
 * on {@code x = [q, p]}, with {@code ∇H_θ} by reverse-mode autodiff recorded for a second
 * backward pass, so a loss on the layer's output trains θ by double backprop. Not separable:
 * implicit midpoint (symplectic) or the discrete gradient methods (energy-conserving) step it.
 * Children {@code hidden1} ({@code 2d → m}), {@code hidden2} ({@code m → m}), {@code out}
 * ({@code m → 1}).
 */
public final class NetworkHamiltonianField extends Module implements HamiltonianField, LayerField {
    private final int dimension;
    private final DataType type;
    private final Linear hidden1;
    private final Linear hidden2;
    private final Linear out;

    /**
     * @param dimension the state dimension 2d (even)
     * @param m         hidden width
     * @param type      FLOAT or DOUBLE
     * @param rng       seeded generator
     */
    public NetworkHamiltonianField(int dimension, int m, DataType type, SplittableRandom rng) {
        String name = "NetworkHamiltonianField";
        this.dimension = FieldChecks.even(name, "dimension", dimension);
        FieldChecks.positive(name, "m", m);
        this.type = FieldChecks.floating(name, type);
        FieldChecks.rng(name, rng);
        hidden1 = register("hidden1", new Linear(dimension, m, true, type, rng));
        hidden2 = register("hidden2", new Linear(m, m, true, type, rng));
        out = register("out", new Linear(m, 1, true, type, rng));
    }

    @Override
    public DataType dtype() {
        return type;
    }

    @Override
    public void checkInput(String where, Tensor x) {
        FieldChecks.requireVectors(where, x, dimension, type);
    }

    /** {@code H_θ(x)}, {@code [batch]}. */
    @Override
    public Tensor hamiltonian(Tensor x) {
        checkInput("NetworkHamiltonianField.hamiltonian", x);
        return out.forward(hidden2.forward(hidden1.forward(x).tanh()).tanh()).reshape(x.size(0));
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }
}
