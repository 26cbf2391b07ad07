package io.structflow.layers.fields;

import io.structflow.core.nn.Guarantee;
import java.util.List;

/**
 * What is known about a layer's step size {@code h} when its guarantees are derived: the interval
 * {@code [lo, hi]} that {@code h} is guaranteed to lie in after projection (the fixed value, or what
 * the guarantees of the step's constraints imply; {@code [−∞, ∞]} when nothing is known), its
 * current value, the number of sub-steps (each of size {@code h/substeps}) and the guarantees
 * themselves (e.g. an {@link io.structflow.constraints.guarantee.EulerStepLimit}, which relates h
 * to a weight).
 *
 * @param lo          guaranteed lower bound of {@code h}
 * @param hi          guaranteed upper bound of {@code h}
 * @param current     the current value of {@code h}
 * @param substeps    number of sub-steps, ≥ 1
 * @param learnable   whether {@code h} is trained (false: the value is fixed)
 * @param guarantees  what the step's constraints guarantee, combined in run order
 * @param inside      whether the current value lies in its constraints' sets (true for a fixed step),
 *                    the condition under which the guarantees describe it
 * @param origin      where the interval comes from, for messages
 */
public record StepRange(double lo, double hi, double current, int substeps, boolean learnable,
                        List<Guarantee> guarantees, boolean inside, String origin) {
    /** Copies the guarantee list. */
    public StepRange {
        guarantees = List.copyOf(guarantees);
    }

    /** The upper end of one sub-step's interval, {@code hi/substeps}. */
    public double substepHi() {
        return hi / substeps;
    }

    /** The lower end of one sub-step's interval, {@code lo/substeps}. */
    public double substepLo() {
        return lo / substeps;
    }

    /** The current sub-step {@code h/substeps}. */
    public double currentSubstep() {
        return current / substeps;
    }
}
