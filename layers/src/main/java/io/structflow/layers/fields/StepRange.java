package io.structflow.layers.fields;

import io.structflow.core.nn.Constraint;
import java.util.List;

/**
 * What is known about a layer's step size {@code h} when its guarantees are derived: the interval
 * {@code [lo, hi]} that {@code h} is guaranteed to stay in (from a fixed value or from the
 * constraints attached to the step parameter; {@code [−∞, ∞]} when nothing is known), its current
 * value, the number of sub-steps (each of size {@code h/substeps}) and the attached constraints
 * themselves (e.g. an {@link io.structflow.constraints.project.EulerStepBound}, whose bound moves
 * with the weight it reads).
 *
 * @param lo          guaranteed lower bound of {@code h}
 * @param hi          guaranteed upper bound of {@code h}
 * @param current     the current value of {@code h}
 * @param substeps    number of sub-steps, ≥ 1
 * @param learnable   whether {@code h} is trained (false: the value is fixed)
 * @param constraints the constraints attached to the step parameter, in attach order
 * @param origin      where the interval comes from, for messages (e.g. {@code "StepBox 0.0 ≤ h ≤ 2.0"})
 */
public record StepRange(double lo, double hi, double current, int substeps, boolean learnable,
                        List<Constraint> constraints, String origin) {
    /** Copies the constraint list. */
    public StepRange {
        constraints = List.copyOf(constraints);
    }

    /** The interval of one sub-step, {@code [lo/substeps, hi/substeps]}. */
    public double substepHi() {
        return hi / substeps;
    }

    /** The lower end of one sub-step's interval. */
    public double substepLo() {
        return lo / substeps;
    }

    /** The current sub-step {@code h/substeps}. */
    public double currentSubstep() {
        return current / substeps;
    }
}
