package io.structflow.layers.fields;

import io.structflow.constraints.project.EulerStepBound;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Constraint;
import io.structflow.integrators.Integrator;
import java.util.function.DoubleSupplier;

/**
 * The rule of [CMOSS] (3.5) shared by the dense and convolutional contractive fields: the
 * explicit Euler step {@code x − τAᵀσ(Ax + b)} has the symmetric Jacobian {@code I − τAᵀDA} with
 * {@code 0 ≤ D ≤ I} when {@code σ' ∈ [0, 1]}, whose spectrum lies in {@code [1 − τ‖A‖², 1]}; so
 * the step is 1-Lipschitz for {@code 0 ≤ τ ≤ 2/‖A‖²}, and so is a chain of such sub-steps.
 */
final class ContractiveRule {
    /** Relative slack for comparing step bounds computed from norm estimates. */
    static final double SLACK = 1e-6;

    private ContractiveRule() {
    }

    /**
     * The verdict for {@code LIPSCHITZ_1}.
     *
     * @param field      the field's name for messages
     * @param sigma      the activation
     * @param c          the known bound of ‖A‖ (+∞ when unknown)
     * @param integrator the method
     * @param step       what is known about h
     * @param normNow    estimates ‖A‖ at the current weight (to check an EulerStepBound reads this A)
     */
    static Verdict lipschitzOne(String field, Activation sigma, double c, Integrator<?> integrator, StepRange step,
                                DoubleSupplier normNow) {
        if (!LayerField.isExplicitEuler(integrator)) {
            return Verdict.no("LIPSCHITZ_1 of " + field + " is derived for explicit Euler only ([CMOSS] (3.5)); "
                    + "the integrator is " + integrator.name());
        }
        if (sigma.minSlope() < 0 || sigma.maxSlope() > 1) {
            return Verdict.no("LIPSCHITZ_1 of " + field + " needs σ' in [0, 1] but " + sigma + " has slopes in ["
                    + sigma.minSlope() + ", " + sigma.maxSlope() + "]");
        }
        String normText = Double.isFinite(c) ? "‖A‖ ≤ " + c : "‖A‖ has no known bound (use the orthogonal "
                + "parametrisation or constrainNorm(c))";
        if (!step.learnable()) {
            double tau = step.currentSubstep();
            if (tau >= 0 && tau <= 2 / (c * c) * (1 + SLACK)) {
                return Verdict.yes("fixed sub-step τ = " + tau + " in [0, 2/‖A‖²] with " + normText + " ([CMOSS] (3.5))");
            }
            return Verdict.no("LIPSCHITZ_1 needs the fixed sub-step of " + field + " within [0, 2/‖A‖²]; τ = h/"
                    + step.substeps() + " = " + tau + " and " + normText);
        }
        String eulerNote = "";
        for (Constraint k : step.constraints()) {
            if (k instanceof EulerStepBound bound) {
                double s = normNow.getAsDouble();
                double admissible = s == 0 ? Double.POSITIVE_INFINITY : 2 / (s * s);
                if (bound.upperBound() <= admissible * (1 + SLACK)) {
                    return Verdict.yes("EulerStepBound keeps 0 ≤ h ≤ 2/‖A‖² ([CMOSS] (3.5))");
                }
                eulerNote = "; the attached EulerStepBound allows h ≤ " + bound.lastUpperBound()
                        + ", more than 2/‖A‖² = " + admissible + " (it reads another weight)";
            }
        }
        if (step.lo() >= 0 && Double.isFinite(c) && step.substepHi() <= 2 / (c * c) * (1 + SLACK)) {
            return Verdict.yes(step.origin() + " keeps every sub-step in [0, 2/c²] with " + normText
                    + " ([CMOSS] (3.5))");
        }
        return Verdict.no("LIPSCHITZ_1 needs the step of " + field + " constrained by EulerStepBound or a StepBox "
                + "within [0, 2/‖A‖²]; step h has " + step.origin() + ", " + normText + eulerNote);
    }

    /**
     * Lipschitz bound of one explicit Euler step {@code x + sτAᵀσ(Ax+b)} with ‖A‖ ≤ c: the
     * symmetric Jacobian {@code I + sτAᵀDA} has spectrum between 1 and {@code 1 + sτc²σ'_max} when
     * {@code σ' ≥ 0}; otherwise {@code 1 + |τ|c² max|σ'|}.
     */
    static double eulerStepBound(int sign, double tau, double c, Activation sigma) {
        if (!Double.isFinite(c)) {
            return tau == 0 ? 1 : Double.POSITIVE_INFINITY;
        }
        if (sigma.minSlope() >= 0) {
            return Math.max(1, Math.abs(1 + sign * tau * c * c * sigma.maxSlope()));
        }
        return 1 + Math.abs(tau) * c * c * Math.max(Math.abs(sigma.minSlope()), Math.abs(sigma.maxSlope()));
    }
}
