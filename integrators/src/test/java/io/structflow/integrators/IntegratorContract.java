package io.structflow.integrators;

import static io.structflow.integrators.TestFields.D;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.GradCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What every integrator must satisfy: its declared order equals theory and is measured on a
 * problem with a known solution (log-error against log-h over halving steps, slope within 0.2),
 * and its step is differentiable in x, h and the field's parameters (finite differences, float64).
 * One short subclass per method supplies the method, the field and the tolerances.
 *
 * @param <F> the field type the method needs
 */
public abstract class IntegratorContract<F extends VectorField> {
    /** The method under test (implicit ones with a tight solver tolerance). */
    protected abstract Integrator<F> integrator();

    /** The order from the literature. */
    protected abstract int theoreticalOrder();


    /** A field with parameters built from {@code theta} (for the gradient check). */
    protected abstract F parametrised(Tensor[] theta);

    /** Initial values of the parameters for {@link #parametrised}. */
    protected abstract Tensor[] parameters();

    /** The state for the gradient check, {@code [2, 2]} unless overridden. */
    protected Tensor gradCheckState() {
        return TestFields.randn(11, 2, 2).mul(0.5);
    }

    /**
     * The convergence problem's field: the pendulum ẋ = (p, −sin q) on x = [q, p], as the field type
     * the method needs, unless {@link #convergenceInitial()} and {@link #convergenceReference} are
     * overridden too.
     */
    protected abstract F convergenceField();

    /** Initial states of the convergence problem, {@code [batch, n]}. */
    protected Tensor convergenceInitial() {
        return TestFields.of(new double[] {1.0, 0.5, -0.3, 1.2}, 2, 2);
    }

    /** The exact (reference) solution at time {@code t} from {@link #convergenceInitial()}, row-major. */
    protected double[] convergenceReference(double t) {
        double[] a = TestFields.pendulumReference(1.0, 0.5, t);
        double[] b = TestFields.pendulumReference(-0.3, 1.2, t);
        return new double[] {a[0], a[1], b[0], b[1]};
    }

    /** Numbers of steps over the unit time interval for the convergence test. */
    protected int[] stepCounts() {
        return new int[] {8, 16, 32, 64};
    }

    @Test
    public void order_equalsTheory() {
        assertEquals(theoreticalOrder(), integrator().order());
    }

    @Test
    public void step_knownSolution_convergesAtDeclaredOrder() {
        double t = 1.0;
        double[] reference = convergenceReference(t);
        int[] counts = stepCounts();
        double[] h = new double[counts.length];
        double[] error = new double[counts.length];
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int i = 0; i < counts.length; i++) {
                h[i] = t / counts[i];
                Tensor y = Solver.flow(convergenceField(), integrator(), convergenceInitial(), TestFields.scalar(h[i]),
                        counts[i]);
                error[i] = TestFields.maxAbsDiff(y, reference);
            }
        }
        double slope = TestFields.fittedOrder(h, error, 1e-11);
        assertEquals(theoreticalOrder(), slope, 0.2,
                integrator().name() + ": errors " + Arrays.toString(error) + " at h " + Arrays.toString(h));
    }

    @Test
    public void step_gradientsInStateStepAndParameters_matchFiniteDifferences() {
        Tensor[] theta = parameters();
        Tensor[] inputs = new Tensor[theta.length + 2];
        inputs[0] = gradCheckState();
        inputs[1] = TestFields.scalar(0.3);
        System.arraycopy(theta, 0, inputs, 2, theta.length);
        Tensor weights = TestFields.randn(5, inputs[0].shape());
        GradCheck.Result r = GradCheck.check(xs -> {
            Tensor[] params = Arrays.copyOfRange(xs, 2, xs.length);
            return integrator().step(parametrised(params), xs[0], xs[1]).mul(weights).sum();
        }, inputs);
        assertTrue(r.passed(), integrator().name() + ": " + r.worst());
    }

    @Test
    public void step_keepsShapeAndType() {
        Tensor x = convergenceInitial();
        Tensor y = integrator().step(convergenceField(), x, 0.1);
        assertArrayEquals(x.shape(), y.shape());
        assertEquals(D, y.dtype());
    }
}
