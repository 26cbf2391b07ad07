package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.ButcherTableau;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.layers.Property;

/**
 * A parametrised vector field that a {@link io.structflow.layers.FlowLayer} can derive guarantees
 * from: it knows a Lipschitz bound of itself and of one step of a given integrator, and which
 * {@link Property properties} it adds beyond those every field of its type has (e.g. a
 * contractive gradient field adds {@link Property#LIPSCHITZ_1} under explicit Euler with a
 * bounded step, [CMOSS] (3.5)).
 */
public interface LayerField extends VectorField {
    /** The element type of the field's parameters (inputs must match). */
    org.nd4j.linalg.api.buffer.DataType dtype();

    /**
     * Checks the shape and type of an input, throwing an {@link IllegalArgumentException} that
     * names {@code where}, the expected and the actual shape.
     */
    void checkInput(String where, Tensor x);

    /** An upper bound of the field's Lipschitz constant {@code L_f}; {@code +∞} when unknown. */
    default double lipschitzBound() {
        return Double.POSITIVE_INFINITY;
    }

    /**
     * An upper bound of the Lipschitz constant of one step {@code x ↦ φ_τ(x)} of
     * {@code integrator} on this field. The default is the Runge–Kutta bound from
     * {@link #lipschitzBound()} ({@link #rungeKuttaBound}); {@code +∞} for other integrators.
     *
     * @param integrator the method
     * @param tau        the (sub-)step size
     */
    default double stepLipschitzBound(Integrator<?> integrator, double tau) {
        ButcherTableau tableau = explicitTableau(integrator);
        return tableau == null ? Double.POSITIVE_INFINITY : rungeKuttaBound(tableau, tau, lipschitzBound());
    }

    /**
     * Whether this field, stepped by {@code integrator} with steps in {@code step}, guarantees
     * {@code property} beyond what the generic rules of {@code FlowLayer} give. The default adds
     * nothing.
     */
    default Verdict guarantee(Property property, Integrator<?> integrator, StepRange step) {
        return Verdict.no(getClass().getSimpleName() + " adds no rule for " + property);
    }

    /**
     * The Lipschitz bound of one explicit Runge–Kutta step of a field with Lipschitz constant
     * {@code L}: with stage bounds {@code ℓᵢ = L(1 + |τ| Σⱼ |aᵢⱼ| ℓⱼ)} the step is
     * {@code (1 + |τ| Σᵢ |bᵢ| ℓᵢ)}-Lipschitz; for explicit Euler {@code 1 + |τ|L}.
     */
    static double rungeKuttaBound(ButcherTableau tableau, double tau, double lipschitz) {
        if (!Double.isFinite(lipschitz)) {
            return tau == 0 ? 1 : Double.POSITIVE_INFINITY;
        }
        int s = tableau.stages();
        double[][] a = tableau.a();
        double[] b = tableau.b();
        double[] stage = new double[s];
        double out = 1;
        for (int i = 0; i < s; i++) {
            double sum = 0;
            for (int j = 0; j < i; j++) {
                sum += Math.abs(a[i][j]) * stage[j];
            }
            stage[i] = lipschitz * (1 + Math.abs(tau) * sum);
            out += Math.abs(tau) * Math.abs(b[i]) * stage[i];
        }
        return out;
    }

    /** The Butcher tableau of an explicit Runge–Kutta integrator, or null for any other. */
    static ButcherTableau explicitTableau(Integrator<?> integrator) {
        if (integrator instanceof ExplicitEuler) {
            return ButcherTableau.EULER;
        }
        if (integrator instanceof ExplicitRungeKutta rk) {
            return rk.tableau();
        }
        return null;
    }

    /** Whether {@code integrator} is explicit Euler (also as a one-stage tableau). */
    static boolean isExplicitEuler(Integrator<?> integrator) {
        return integrator instanceof ExplicitEuler
                || integrator instanceof ExplicitRungeKutta rk && rk.tableau().equals(ButcherTableau.EULER);
    }
}
