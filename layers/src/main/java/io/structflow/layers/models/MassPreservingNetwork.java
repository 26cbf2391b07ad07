package io.structflow.layers.models;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.Property;
import io.structflow.layers.blocks.MassPreservingProjection;
import io.structflow.layers.blocks.ZeroPaddingLift;
import io.structflow.layers.fields.MassPreservingField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The mass-preserving network of [CMOSS] §4.3:
 * <pre>
 *   Φ = P ∘ Ψ_L ∘ … ∘ Ψ_1 ∘ L,     Ψ_k(z) = z + h_k f_k(z),     f_k(z) = (A_k(z) − A_k(z)ᵀ)𝟏   (4.2)
 * </pre>
 * with the zero-padding lift {@code L : ℝᵈ → ℝⁿ}, explicit Euler layers on
 * {@link MassPreservingField}s with learnable steps {@code h_k}, and the projection
 * {@link MassPreservingProjection} {@code P : ℝⁿ → ℝᵈ}. Each factor keeps {@code Σᵢ xᵢ}
 * (L pads zeros; {@code Σᵢ f_k(z)ᵢ = 0} and Euler keeps linear invariants for every step; P
 * folds the extra components back into the first d), so {@code Σ Φ(x) = Σ x} up to round-off
 * for every parameter value. Every layer is checked to guarantee {@link Property#MASS_PRESERVING}
 * when built. Children: {@code lift}, {@code 0 … L−1} (the flow layers), {@code projection}.
 */
public final class MassPreservingNetwork extends Module {
    private final ZeroPaddingLift lift;
    private final List<FlowLayer<MassPreservingField>> layers;
    private final MassPreservingProjection projection;

    /**
     * @param dimension d, the data dimension (3 for SIR)
     * @param width     n &gt; d, the lifted width
     * @param depth     number of Euler layers L ≥ 1
     * @param hidden    hidden width m of each field's network A(z)
     * @param step      initial step h of every layer
     * @param type      FLOAT or DOUBLE
     * @param seed      seed of the weights
     */
    public MassPreservingNetwork(int dimension, int width, int depth, int hidden, double step, DataType type, long seed) {
        if (depth < 1) {
            throw new IllegalArgumentException("MassPreservingNetwork: depth expected at least 1 but got " + depth);
        }
        lift = register("lift", new ZeroPaddingLift(dimension, width));
        SplittableRandom rng = new SplittableRandom(seed);
        List<FlowLayer<MassPreservingField>> list = new ArrayList<>();
        for (int k = 0; k < depth; k++) {
            MassPreservingField field = new MassPreservingField(width, hidden, Activation.tanh(), type, rng);
            FlowLayer<MassPreservingField> layer = new FlowLayer<>(field, new ExplicitEuler(),
                    FlowLayer.stepParameter(step, type), 1).require(Property.MASS_PRESERVING);
            list.add(register(Integer.toString(k), layer));
        }
        layers = Collections.unmodifiableList(list);
        projection = register("projection", new MassPreservingProjection(width, dimension));
    }

    /** The Euler layers, first applied first. */
    public List<FlowLayer<MassPreservingField>> layers() {
        return layers;
    }

    /**
     * @param x states {@code [batch, d]}; not mutated
     * @return {@code Φ(x)}, {@code [batch, d]}, with {@code Σ Φ(x) = Σ x} per sample up to round-off
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor z = lift.forward(x);
        for (FlowLayer<MassPreservingField> layer : layers) {
            z = layer.forward(z);
        }
        return projection.forward(z);
    }
}
