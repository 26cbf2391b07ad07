package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.layers.LipschitzBounded;
import io.structflow.layers.Property;
import io.structflow.layers.Structured;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The mass-preserving projection {@code P : ℝⁿ → ℝᵈ} of [CMOSS] §4.3 (the SIR network): the
 * first d components, plus the sum of the k = n − d extra components spread evenly over them,
 * <pre>
 *   P(z)ᵢ = zᵢ + (1/d) Σ_{j=d+1}^{n} z_j,     i = 1, …, d,
 * </pre>
 * so that {@code Σᵢ P(z)ᵢ = Σ_{j=1}^{n} z_j} exactly and {@code P ∘ L = id} for the zero-padding
 * lift L. On the paper's divisor: its text divides the extra sum by s; REPRODUCTION-NOTES and the
 * authors' code divide by the number k of extra components. In §4.3 the lift doubles the width
 * (n = 2d), where k = d and the two agree; for n ≠ 2d only the division by d keeps the mass
 * (adding Σ_extra/k to d entries adds (d/k)·Σ_extra), so this class divides by d and requires
 * k ≥ 1. Linear, with {@code ‖P‖₂ = √(1 + k/d)} (PPᵀ = I + (k/d²)𝟙𝟙ᵀ). No parameters; cost:
 * two slices, a row sum and a broadcast add.
 */
public final class MassPreservingProjection extends Module implements LipschitzBounded, Structured {
    private final int in;
    private final int out;

    /**
     * @param in  n, the lifted width
     * @param out d ≥ 1, the data width; {@code k = in − out ≥ 1} extra components are folded back
     */
    public MassPreservingProjection(int in, int out) {
        Checks.atLeast("MassPreservingProjection", "out", 1, out);
        if (in - out < 1) {
            throw Checks.bad("MassPreservingProjection", "extra components k = in − out",
                    "k ≥ 1 (in > out = " + out + ")", "k = " + (in - out) + " (in = " + in + ")");
        }
        this.in = in;
        this.out = out;
    }

    /** n. */
    public int in() {
        return in;
    }

    /** d. */
    public int out() {
        return out;
    }

    /**
     * @param z {@code [batch, n]}; not mutated
     * @return {@code [batch, d]}
     */
    @Override
    public Tensor forward(Tensor z) {
        Shapes.require("MassPreservingProjection.forward", "z", z, -1, in);
        Tensor kept = z.slice(1, 0, out);
        Tensor extra = z.slice(1, out, in).sum(true, 1);
        return kept.add(extra.mul(1.0 / out));
    }

    /** {@code √(1 + k/d)}, the exact operator norm. */
    @Override
    public double lipschitzBound() {
        return Math.sqrt(1.0 + (double) (in - out) / out);
    }

    @Override
    public Set<Property> properties() {
        return Collections.unmodifiableSet(EnumSet.of(Property.MASS_PRESERVING));
    }
}
