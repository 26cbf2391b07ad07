package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import io.structflow.layers.Invertible;
import io.structflow.layers.Property;
import io.structflow.layers.Structured;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A SympNet module (Jin, Zhang, Zhu, Tang, Karniadakis, "SympNets: intrinsic
 * structure-preserving symplectic networks for identifying Hamiltonian systems", Neural Networks
 * 132 (2020), doi:10.1016/j.neunet.2020.08.017; [CMOSS] §4.1): a shear of the state
 * {@code x = [q, p]} ({@code d} entries each) that moves one half by a map of the other,
 * <pre>
 *   {@link Half#UP}:   (q, p) ↦ (q, p + s(q))
 *   {@link Half#LOW}:  (q, p) ↦ (q + s(p), p)
 * </pre>
 * where {@code s = ∇φ} is the gradient of a scalar function (so {@code ∂s/∂u} is symmetric).
 * The Jacobian {@code [[I, 0], [∂s/∂q, I]]} (or its transpose) then satisfies
 * {@code Jᵀ𝕁J = 𝕁}: every module is exactly symplectic, has {@code det J = 1}, and is inverted
 * exactly by subtracting the same shift. Equivalently, one symplectic Euler half step of the
 * separable Hamiltonian {@code H = −φ(q)} (UP) or {@code H = φ(p)} (LOW) with step 1.
 */
public abstract class SympNetModule extends Module implements Structured, Invertible, Exportable {
    /** Which half of {@code x = [q, p]} the module moves. */
    public enum Half {
        /** {@code p ← p + s(q)}. */
        UP,
        /** {@code q ← q + s(p)}. */
        LOW
    }

    private final int dimension;
    private final Half half;

    /**
     * @param dimension d ≥ 1, the size of q and of p
     * @param half      the half moved
     */
    protected SympNetModule(int dimension, Half half) {
        String where = getClass().getSimpleName();
        this.dimension = Checks.atLeast(where, "dimension", 1, dimension);
        Checks.notNull(where, "half", half);
        this.half = half;
    }

    /**
     * The shift {@code s(u) = ∇φ(u)}.
     *
     * @param u the unmoved half, {@code [batch, d]}; not mutated
     * @return {@code [batch, d]}
     */
    protected abstract Tensor shift(Tensor u);

    /** d. */
    public final int dimension() {
        return dimension;
    }

    /** The half moved. */
    public final Half half() {
        return half;
    }

    /**
     * @param x {@code [batch, 2d]} = {@code [q, p]}; not mutated
     * @return {@code [batch, 2d]}
     */
    @Override
    public final Tensor forward(Tensor x) {
        return shear(x, 1, getClass().getSimpleName() + ".forward");
    }

    /** Subtracts the same shift: exact up to round-off. */
    @Override
    public final Tensor inverse(Tensor y) {
        return shear(y, -1, getClass().getSimpleName() + ".inverse");
    }

    private Tensor shear(Tensor x, int sign, String where) {
        Shapes.require(where, "x", x, -1, 2L * dimension);
        Tensor q = x.slice(1, 0, dimension);
        Tensor p = x.slice(1, dimension, 2L * dimension);
        if (half == Half.UP) {
            Tensor s = shift(q);
            return Tensor.concat(1, q, sign > 0 ? p.add(s) : p.sub(s));
        }
        Tensor s = shift(p);
        return Tensor.concat(1, sign > 0 ? q.add(s) : q.sub(s), p);
    }

    /** {@code SYMPLECTIC, VOLUME_PRESERVING, INVERTIBLE}. */
    @Override
    public final Set<Property> properties() {
        return Collections.unmodifiableSet(EnumSet.of(Property.SYMPLECTIC, Property.VOLUME_PRESERVING,
                Property.INVERTIBLE));
    }

    /**
     * The shift {@code s(u)} as graph operators, {@code [batch, d]} to {@code [batch, d]}. A module
     * of one's own that does not override it cannot be exported.
     *
     * @throws UnsupportedOperationException unless overridden
     */
    protected InferenceGraph.Value appendShift(InferenceGraph graph, InferenceGraph.Value u) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not describe its shift s(u) "
                + "(override SympNetModule.appendShift to export it)");
    }

    /** Slice into q and p, shift one half by the other, Concat. */
    @Override
    public final InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        InferenceGraph.Value q = graph.slice(x, 1, 0, dimension);
        InferenceGraph.Value p = graph.slice(x, 1, dimension, 2L * dimension);
        return half == Half.UP ? graph.concat(1, q, graph.add(p, appendShift(graph, q)))
                : graph.concat(1, graph.add(q, appendShift(graph, p)), p);
    }
}
