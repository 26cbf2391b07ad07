package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import io.structflow.layers.LipschitzBounded;
import io.structflow.layers.Property;
import io.structflow.layers.Structured;
import java.util.EnumSet;
import java.util.Set;

/**
 * The zero-padding lift {@code L : ℝᵈ → ℝⁿ}, n ≥ d, of [CMOSS] §1.1 and §4.3:
 * <pre>
 *   L(x) = (x₁, …, x_d, 0, …, 0)
 * </pre>
 * applied along axis 1 (features of {@code [batch, d]}, or channels of {@code [batch, d, H, W]}).
 * It is a linear isometry ({@code ‖Lx‖ = ‖x‖}, LᵀL = I), hence 1-Lipschitz, and keeps the total
 * mass {@code Σᵢ xᵢ}. No parameters; cost: one copy.
 */
public final class ZeroPaddingLift extends Module implements LipschitzBounded, Structured, Exportable {
    private final int in;
    private final int out;

    /**
     * @param in  input size d ≥ 1
     * @param out output size n ≥ d
     */
    public ZeroPaddingLift(int in, int out) {
        Checks.atLeast("ZeroPaddingLift", "in", 1, in);
        if (out < in) {
            throw Checks.bad("ZeroPaddingLift", "out", "n ≥ in = " + in, out);
        }
        this.in = in;
        this.out = out;
    }

    /** d. */
    public int in() {
        return in;
    }

    /** n. */
    public int out() {
        return out;
    }

    /**
     * @param x {@code [batch, d]} or {@code [batch, d, H, W]}; not mutated
     * @return {@code [batch, n]} or {@code [batch, n, H, W]}
     */
    @Override
    public Tensor forward(Tensor x) {
        if ((x.rank() != 2 && x.rank() != 4) || x.size(1) != in) {
            throw Checks.bad("ZeroPaddingLift.forward", "x", "shape [batch, " + in + "] or [batch, " + in + ", H, W]",
                    java.util.Arrays.toString(x.shape()));
        }
        if (out == in) {
            return x;
        }
        long[] before = new long[x.rank()];
        long[] after = new long[x.rank()];
        after[1] = out - in;
        return x.pad(before, after);
    }

    /** 1: L is an isometry. */
    @Override
    public double lipschitzBound() {
        return 1.0;
    }

    @Override
    public Set<Property> properties() {
        return java.util.Collections.unmodifiableSet(EnumSet.of(Property.LIPSCHITZ_1, Property.MASS_PRESERVING,
                Property.NORM_PRESERVING));
    }

    /** ONNX Pad with zeros on dimension 1 (the identity when {@code out == in}). */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        if (out == in) {
            return x;
        }
        long[] before = new long[x.rank()];
        long[] after = new long[x.rank()];
        after[1] = out - in;
        return graph.pad(x, before, after);
    }
}
