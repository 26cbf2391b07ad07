package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.integrators.HamiltonianField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A Hamiltonian network field [M-slides], [CMOSS] §4:
 * <pre>
 *   f(x) = 𝕁∇H_θ(x),   H_θ(x) = wᵀσ(W_L ⋯ σ(W₁x + b₁) ⋯ + b_L) + c
 * </pre>
 * on {@code x = [q, p]}, with L ≥ 1 hidden layers of widths {@code m₁, …, m_L}, an activation σ,
 * and the constant c optional (it does not change f). One hidden layer without c is
 * {@code H(x) = wᵀσ(Wx + b)}; the four-argument constructor keeps the default, two tanh layers of
 * width m with c. {@code ∇H_θ} comes by reverse-mode autodiff recorded for a second backward pass,
 * so a loss on the layer's output trains θ by double backprop. Not separable: implicit midpoint
 * (symplectic) or the discrete gradient methods (energy-conserving) step it. Children
 * {@code hidden1} ({@code 2d → m₁}), …, {@code hiddenL} ({@code m_{L−1} → m_L}), {@code out}
 * ({@code m_L → 1}, bias c when present).
 */
public final class NetworkHamiltonianField extends Module implements HamiltonianField, LayerField {
    private final int dimension;
    private final DataType type;
    private final Activation sigma;
    private final List<Linear> hidden;
    private final Linear out;

    /**
     * Two tanh hidden layers of width m, with output bias.
     *
     * @param dimension the state dimension 2d (even)
     * @param m         hidden width
     * @param type      FLOAT or DOUBLE
     * @param rng       seeded generator
     */
    public NetworkHamiltonianField(int dimension, int m, DataType type, SplittableRandom rng) {
        this(dimension, new int[] {m, m}, Activation.tanh(), true, type, rng);
    }

    /**
     * @param dimension    the state dimension 2d (even)
     * @param hiddenWidths {@code m₁, …, m_L}, L ≥ 1, each ≥ 1 (not kept)
     * @param sigma        σ
     * @param outputBias   whether H has the constant c
     * @param type         FLOAT or DOUBLE
     * @param rng          seeded generator (PyTorch-style uniform initialisation, {@link Linear})
     */
    public NetworkHamiltonianField(int dimension, int[] hiddenWidths, Activation sigma, boolean outputBias,
                                   DataType type, SplittableRandom rng) {
        this(sigma, randomLayers(dimension, hiddenWidths, outputBias, type, rng));
    }

    /** @param layers the hidden layers, then the output layer */
    private NetworkHamiltonianField(Activation sigma, List<Linear> layers) {
        this.sigma = Objects.requireNonNull(sigma, "NetworkHamiltonianField: sigma");
        Linear first = layers.get(0);
        this.dimension = (int) first.weight().size(1);
        this.type = first.weight().dtype();
        List<Linear> registered = new ArrayList<>();
        for (int l = 0; l < layers.size() - 1; l++) {
            registered.add(register("hidden" + (l + 1), layers.get(l)));
        }
        this.hidden = Collections.unmodifiableList(registered);
        this.out = register("out", layers.get(layers.size() - 1));
    }

    private static List<Linear> randomLayers(int dimension, int[] hiddenWidths, boolean outputBias, DataType type,
                                             SplittableRandom rng) {
        String name = "NetworkHamiltonianField";
        FieldChecks.even(name, "dimension", dimension);
        if (hiddenWidths == null || hiddenWidths.length == 0) {
            throw new IllegalArgumentException(name + ": hiddenWidths expected at least one width but got "
                    + (hiddenWidths == null ? "null" : "none"));
        }
        for (int l = 0; l < hiddenWidths.length; l++) {
            FieldChecks.positive(name, "hiddenWidths[" + l + "]", hiddenWidths[l]);
        }
        FieldChecks.floating(name, type);
        FieldChecks.rng(name, rng);
        List<Linear> layers = new ArrayList<>();
        int in = dimension;
        for (int width : hiddenWidths) {
            layers.add(new Linear(in, width, true, type, rng));
            in = width;
        }
        layers.add(new Linear(in, 1, outputBias, type, rng));
        return layers;
    }

    /**
     * The field with the given weights, copied; its {@link #namedParameters()} are
     * {@code hidden1.weight, hidden1.bias, …, out.weight[, out.bias]}.
     *
     * @param sigma         σ
     * @param hiddenWeights {@code W₁ [m₁, 2d], W₂ [m₂, m₁], …, W_L [m_L, m_{L−1}]}, L ≥ 1, 2d even
     * @param hiddenBiases  {@code b₁ [m₁], …, b_L [m_L]}
     * @param outputWeight  w as {@code [1, m_L]}
     * @param outputBias    c as {@code [1]}, or null for H without constant
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static NetworkHamiltonianField fromWeights(Activation sigma, List<Tensor> hiddenWeights,
                                                      List<Tensor> hiddenBiases, Tensor outputWeight,
                                                      Tensor outputBias) {
        GivenWeights given = new GivenWeights("NetworkHamiltonianField.fromWeights");
        if (hiddenWeights == null || hiddenWeights.isEmpty()) {
            throw given.bad("hiddenWeights", "at least one matrix", hiddenWeights == null ? "null" : "none");
        }
        int depth = hiddenWeights.size();
        if (hiddenBiases == null || hiddenBiases.size() != depth) {
            throw given.bad("hiddenBiases", "one vector per hidden weight (" + depth + ")",
                    hiddenBiases == null ? "null" : hiddenBiases.size());
        }
        String in = "2d";
        for (int l = 0; l < depth; l++) {
            String width = "m" + (l + 1);
            given.require("hiddenWeights[" + l + "]", hiddenWeights.get(l), width, in);
            if (given.size("2d") % 2 != 0) {
                throw given.bad("hiddenWeights[0]", "an even number 2d of columns (a state [q, p])", given.size("2d"));
            }
            given.require("hiddenBiases[" + l + "]", hiddenBiases.get(l), width);
            in = width;
        }
        given.require("outputWeight", outputWeight, "1", in);
        if (outputBias != null) {
            given.require("outputBias", outputBias, "1");
        }
        List<Linear> layers = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            layers.add(Linear.fromWeights(hiddenWeights.get(l), hiddenBiases.get(l)));
        }
        layers.add(Linear.fromWeights(outputWeight, outputBias));
        return new NetworkHamiltonianField(sigma, layers);
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
        Tensor z = x;
        for (Linear layer : hidden) {
            z = sigma.apply(layer.forward(z));
        }
        return out.forward(z).reshape(x.size(0));
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }
}
