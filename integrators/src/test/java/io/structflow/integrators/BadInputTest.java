package io.structflow.integrators;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.discretegradient.Gonzalez;
import io.structflow.integrators.ButcherTableau;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import io.structflow.integrators.SplittingScheme;
import io.structflow.integrators.symplectic.StormerVerlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input raises a clear exception naming the argument, the expectation and what came. */
class BadInputTest {
    private final Tensor x = TestFields.randn(1, 3, 2);
    private final VectorField field = v -> v.neg();

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void step_nonFiniteH_throwsArithmeticException(double h) {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> new ExplicitEuler().step(field, x, h));
        assertTrue(e.getMessage().contains("h expected a finite step size"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> new ImplicitMidpoint().step(field, x, h));
        assertThrows(ArithmeticException.class, () -> new StormerVerlet().step(TestFields.pendulum(), x, h));
    }

    @Test
    void step_fieldOutputOfWrongShape_throwsNamingBothShapes() {
        VectorField wrong = v -> v.slice(1, 0, 1);
        for (Integrator<VectorField> method : java.util.List.of(new ExplicitEuler(), ExplicitRungeKutta.rk4(),
                new ImplicitMidpoint())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> method.step(wrong, x, 0.1));
            assertTrue(e.getMessage().contains("field output expected shape [3, 2]")
                    && e.getMessage().contains("[3, 1]"), e.getMessage());
        }
    }

    @Test
    void step_badShapesAndTypes_throwIllegalArgument() {
        Tensor h2 = TestFields.of(new double[] {0.1, 0.2}, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ExplicitEuler().step(field, x, h2))
                .getMessage().contains("h expected a scalar"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ExplicitEuler().step(field, x, Tensor.scalar(0.1, org.nd4j.linalg.api.buffer.DataType.FLOAT)))
                .getMessage().contains("h expected element type DOUBLE"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ExplicitEuler().step(field, TestFields.randn(1, 3), 0.1)).getMessage().contains("[batch, n]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new StormerVerlet().step(TestFields.pendulum(), TestFields.randn(1, 2, 3), 0.1))
                .getMessage().contains("even"));
    }

    @Test
    void implicitStep_notConverging_throwsNonConvergence() {
        VectorField stiff = v -> v.mul(-50.0);
        NonConvergenceException fixed = assertThrows(NonConvergenceException.class,
                () -> new ImplicitMidpoint(ImplicitSolver.fixedPoint()).step(stiff, x, 1.0));
        assertTrue(fixed.getMessage().contains("ImplicitMidpoint") && fixed.getMessage().contains("FIXED_POINT"),
                fixed.getMessage());
        NonConvergenceException capped = assertThrows(NonConvergenceException.class,
                () -> new Gonzalez(ImplicitSolver.newton().withMaxIterations(1)).step(TestFields.pendulum(), x, 2.0));
        assertTrue(capped.getMessage().contains("did not converge in 1 iterations") && capped.iterations() == 1,
                capped.getMessage());
    }

    @Test
    void coefficientRecords_inconsistentOrder_rejected() {
        IllegalArgumentException rk = assertThrows(IllegalArgumentException.class, () -> new ButcherTableau("bad", 2,
                new double[][] {{0, 0}, {1, 0}}, new double[] {1, 0}));
        assertTrue(rk.getMessage().contains("Σbc = 1/2"), rk.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ButcherTableau("implicit", 1,
                new double[][] {{0.5}}, new double[] {1}));
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
                () -> new SplittingScheme("bad", 2, new double[] {1}, new double[] {1}));
        assertTrue(split.getMessage().contains("1/2"), split.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImplicitSolver(ImplicitSolver.Method.NEWTON, 0, 5));
    }
}
