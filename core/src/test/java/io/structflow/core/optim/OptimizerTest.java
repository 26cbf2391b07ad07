package io.structflow.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Single steps against hand-computed updates, projections, state round trips, schedules. */
class OptimizerTest {
    private static final double TOL = 1e-12;

    private static Parameter param(String name, double... v) {
        return new Parameter(name, Nd4j.create(v.clone(), new long[] {v.length}, 'c').castTo(DataType.DOUBLE));
    }

    private static Map<String, Parameter> named(Parameter... ps) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Parameter p : ps) {
            m.put(p.name(), p);
        }
        return m;
    }

    private static void setGrad(Parameter p, double... g) {
        p.zeroGrad();
        p.accumulateGrad(Nd4j.create(g.clone(), new long[] {g.length}, 'c').castTo(p.dtype()));
    }

    @Test
    void sgd_plainAndWeightDecay_matchHandComputedStep() {
        Parameter p = param("w", 1.0, -2.0);
        Sgd sgd = new Sgd(named(p), Sgd.Config.plain(0.1));
        setGrad(p, 0.5, 0.25);
        sgd.step();
        assertArrayEquals(new double[] {0.95, -2.025}, p.toDoubleArray(), TOL);

        Parameter q = param("w", 1.0, -2.0);
        Sgd decayed = new Sgd(named(q), new Sgd.Config(0.1, 0, false, 0.01));
        setGrad(q, 0.5, 0.25);
        decayed.step();
        // g + λθ = (0.51, 0.23)
        assertArrayEquals(new double[] {0.949, -2.023}, q.toDoubleArray(), TOL);
    }

    @Test
    void sgd_momentumTwoSteps_matchHandComputed() {
        Parameter p = param("w", 1.0, -2.0);
        Sgd sgd = new Sgd(named(p), Sgd.Config.momentum(0.1, 0.9));
        INDArray storage = p.value();   // moved into the optimiser's flat buffer, kept from then on
        setGrad(p, 0.5, 0.25);
        sgd.step();
        setGrad(p, -1.0, 2.0);
        sgd.step();
        // b1 = g1; θ1 = θ0 − 0.1 g1 = (0.95, −2.025); b2 = 0.9 b1 + g2 = (−0.55, 2.225); θ2 = θ1 − 0.1 b2
        assertArrayEquals(new double[] {1.005, -2.2475}, p.toDoubleArray(), TOL);
        assertSame(storage, p.value(), "the update must keep the parameter's storage");
        assertArrayEquals(new double[] {-0.55, 2.225}, sgd.state().get("w/momentum_buffer").toDoubleVector(), TOL);
    }

    @Test
    void sgd_nesterov_matchesHandComputed() {
        Parameter p = param("w", 1.0, -2.0);
        Sgd sgd = new Sgd(named(p), new Sgd.Config(0.1, 0.9, true, 0));
        setGrad(p, 0.5, 0.25);
        sgd.step();
        setGrad(p, -1.0, 2.0);
        sgd.step();
        // step 1: b = g1, d = g1 + 0.9 b = 1.9 g1; step 2: b = 0.9 g1 + g2, d = g2 + 0.9 b
        double[] g1 = {0.5, 0.25};
        double[] g2 = {-1.0, 2.0};
        double[] expected = {1.0, -2.0};
        for (int i = 0; i < 2; i++) {
            expected[i] -= 0.1 * 1.9 * g1[i];
            double b = 0.9 * g1[i] + g2[i];
            expected[i] -= 0.1 * (g2[i] + 0.9 * b);
        }
        assertArrayEquals(expected, p.toDoubleArray(), TOL);
    }

    @Test
    void adam_twoSteps_matchHandComputedBiasCorrectedUpdate() {
        double lr = 0.01;
        double b1 = 0.8;
        double b2 = 0.99;
        double eps = 1e-6;
        double wd = 0.1;
        Parameter p = param("w", 1.0, -2.0, 0.3);
        Adam adam = new Adam(named(p), new Adam.Config(lr, b1, b2, eps, wd));
        double[][] grads = {{0.5, 0.25, -3.0}, {-1.0, 2.0, 0.01}};
        double[] theta = {1.0, -2.0, 0.3};
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= 2; t++) {
            setGrad(p, grads[t - 1]);
            adam.step();
            for (int i = 0; i < 3; i++) {
                double g = grads[t - 1][i] + wd * theta[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                theta[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            assertArrayEquals(theta, p.toDoubleArray(), TOL, "after step " + t);
        }
        assertEquals(2.0, adam.state().get("w/step").getDouble(0));
    }

    /**
     * Several parameters share one flat buffer; steps where every parameter has a gradient run on
     * the flat arrays, a step that skips one runs per parameter, and Adam's counters then differ.
     * Every step must equal Adam applied to each parameter with its own counter, computed here in
     * double; the state saved in between must restore the same trajectory.
     */
    @Test
    void adam_flatAndPerParameterSteps_matchHandComputedPerParameterAdam() {
        double lr = 0.02;
        double b1 = 0.85;
        double b2 = 0.98;
        double eps = 1e-7;
        double wd = 0.05;
        Parameter a = param("a", 1.0, -2.0, 0.3, 0.7);
        Parameter b = param("b", 0.4);
        Parameter c = param("c", -1.5, 2.5);
        Parameter[] ps = {a, b, c};
        Adam adam = new Adam(named(a, b, c), new Adam.Config(lr, b1, b2, eps, wd));
        assertTrue(a.buffer() != null && a.buffer() == c.buffer(), "parameters gathered into one buffer");
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        double[][] theta = {a.toDoubleArray(), b.toDoubleArray(), c.toDoubleArray()};
        double[][] m = {new double[4], new double[1], new double[2]};
        double[][] v = {new double[4], new double[1], new double[2]};
        int[] t = new int[3];
        for (int step = 0; step < 7; step++) {
            for (int k = 0; k < 3; k++) {
                ps[k].zeroGrad();
                if (step == 2 && k == 1) {
                    continue;   // b gets no gradient in this step
                }
                double[] g = new double[theta[k].length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = r.nextDouble(-2, 2);
                }
                ps[k].accumulateGrad(Nd4j.create(g, new long[] {g.length}, 'c'));
                t[k]++;
                for (int i = 0; i < g.length; i++) {
                    double gi = g[i] + wd * theta[k][i];
                    m[k][i] = b1 * m[k][i] + (1 - b1) * gi;
                    v[k][i] = b2 * v[k][i] + (1 - b2) * gi * gi;
                    theta[k][i] -= lr * (m[k][i] / (1 - Math.pow(b1, t[k])))
                            / (Math.sqrt(v[k][i] / (1 - Math.pow(b2, t[k]))) + eps);
                }
            }
            adam.step();
            if (step == 4) {
                adam.loadState(adam.state());   // restored state must keep the trajectory
            }
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(theta[k], ps[k].toDoubleArray(), 1e-12, ps[k].name() + " after step " + step);
            }
        }
        assertEquals(7.0, adam.state().get("a/step").getDouble(0));
        assertEquals(6.0, adam.state().get("b/step").getDouble(0));
    }

    /** SGD with Nesterov momentum and weight decay, flat and per-parameter steps mixed, against double arithmetic. */
    @Test
    void sgd_flatAndPerParameterSteps_matchHandComputed() {
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        Parameter a = param("a", 1.0, -2.0, 0.3);
        Parameter b = param("b", 0.4, 0.1);
        Parameter[] ps = {a, b};
        Sgd sgd = new Sgd(named(a, b), new Sgd.Config(lr, mu, true, wd));
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        double[][] theta = {a.toDoubleArray(), b.toDoubleArray()};
        double[][] buf = {new double[3], new double[2]};
        for (int step = 0; step < 6; step++) {
            for (int k = 0; k < 2; k++) {
                ps[k].zeroGrad();
                if (step == 1 && k == 0) {
                    continue;
                }
                double[] g = new double[theta[k].length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = r.nextDouble(-1, 1);
                }
                ps[k].accumulateGrad(Nd4j.create(g, new long[] {g.length}, 'c'));
                for (int i = 0; i < g.length; i++) {
                    double gi = g[i] + wd * theta[k][i];
                    buf[k][i] = mu * buf[k][i] + gi;
                    theta[k][i] -= lr * (gi + mu * buf[k][i]);
                }
            }
            sgd.step();
            for (int k = 0; k < 2; k++) {
                assertArrayEquals(theta[k], ps[k].toDoubleArray(), 1e-12, ps[k].name() + " after step " + step);
            }
        }
    }

    @Test
    void adam_firstStep_movesEachCoordinateByAboutTheLearningRate() {
        Parameter p = param("w", 0.0, 0.0);
        Adam adam = new Adam(named(p), Adam.Config.defaults(0.1));
        setGrad(p, 0.5, -2.0);
        adam.step();
        // m̂ = g and v̂ = g² after one step, so Δ = −lr·g/(|g| + ε)
        assertArrayEquals(new double[] {-0.1 * 0.5 / (0.5 + 1e-8), 0.1 * 2 / (2 + 1e-8)}, p.toDoubleArray(), TOL);
    }

    @Test
    void step_parameterWithoutGradient_isLeftAloneButStillProjected() {
        Parameter a = param("a", 5.0);
        Parameter b = param("b", 5.0).constrain(new Box(-1, 1));
        Sgd sgd = new Sgd(named(a, b), Sgd.Config.plain(1));
        setGrad(a, 1.0);
        sgd.step();
        assertEquals(4.0, a.toDoubleArray()[0], TOL);
        assertEquals(1.0, b.toDoubleArray()[0], TOL);
        assertTrue(sgd.state().isEmpty(), "plain SGD keeps no state");
    }

    @Test
    void step_appliesConstraintsInAttachOrder() {
        // clamp to [−1, 1] then to [2, 3]: 0 → 0 → 2; the other order would give 1
        Parameter p = param("w", 0.0).constrain(new Box(-1, 1)).constrain(new Box(2, 3));
        Sgd sgd = new Sgd(named(p), Sgd.Config.plain(0.1));
        setGrad(p, 0.0);
        sgd.step();
        assertEquals(2.0, p.toDoubleArray()[0], TOL);
    }


    @Test
    void updateThenProject_areTheTwoHalvesOfStep() {
        // w = 0.5, g = −2, lr 1: the update gives 2.5 (outside [−1, 1]); projecting gives 1
        Parameter p = param("w", 0.5).constrain(new Box(-1, 1));
        Sgd sgd = new Sgd(named(p), Sgd.Config.plain(1));
        setGrad(p, -2.0);
        sgd.updateParameters();
        assertEquals(2.5, p.toDoubleArray()[0], TOL);
        sgd.projectParameters();
        assertEquals(1.0, p.toDoubleArray()[0], TOL);
    }
    @Test
    void step_nonFiniteGradient_namesParameterAndChangesNothing() {
        Parameter a = param("first", 1.0, 2.0);
        Parameter b = param("second", 3.0, 4.0);
        Adam adam = new Adam(named(a, b), Adam.Config.defaults(0.1));
        setGrad(a, 1.0, 1.0);
        setGrad(b, 1.0, Double.NaN);
        ArithmeticException e = assertThrows(ArithmeticException.class, adam::step);
        assertTrue(e.getMessage().contains("\"second\"") && e.getMessage().contains("flat index 1"), e.getMessage());
        assertArrayEquals(new double[] {1.0, 2.0}, a.toDoubleArray());
        assertArrayEquals(new double[] {3.0, 4.0}, b.toDoubleArray());
        assertTrue(adam.state().isEmpty(), "no state may be created by a refused step");
    }

    @Test
    void state_roundTripReproducesTheNextStep() {
        Parameter p = param("w", 1.0, -2.0);
        Adam adam = new Adam(named(p), Adam.Config.defaults(0.05));
        setGrad(p, 0.3, -0.7);
        adam.step();
        Map<String, INDArray> saved = adam.state();
        double[] theta = p.toDoubleArray();

        Parameter q = param("w", theta);
        Adam fresh = new Adam(named(q), Adam.Config.defaults(0.05));
        fresh.loadState(saved);
        setGrad(p, 1.0, 0.2);
        setGrad(q, 1.0, 0.2);
        adam.step();
        fresh.step();
        assertArrayEquals(p.toDoubleArray(), q.toDoubleArray(), 0.0);
    }

    @Test
    void loadState_badKeysShapesAndTypes_areRejectedNamingTheKey() {
        Parameter p = param("w", 1.0, -2.0);
        Adam adam = new Adam(named(p), Adam.Config.defaults(0.05));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> adam.loadState(Map.of("v/exp_avg", Nd4j.zeros(DataType.DOUBLE, 2))));
        assertTrue(unknown.getMessage().contains("\"v/exp_avg\""), unknown.getMessage());
        IllegalArgumentException slot = assertThrows(IllegalArgumentException.class,
                () -> adam.loadState(Map.of("w/momentum_buffer", Nd4j.zeros(DataType.DOUBLE, 2))));
        assertTrue(slot.getMessage().contains("momentum_buffer"), slot.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> adam.loadState(Map.of("w/exp_avg", Nd4j.zeros(DataType.DOUBLE, 3))));
        assertTrue(shape.getMessage().contains("[2]") && shape.getMessage().contains("[3]"), shape.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> adam.loadState(Map.of("w/exp_avg", Nd4j.zeros(DataType.FLOAT, 2))));
        assertTrue(type.getMessage().contains("FLOAT"), type.getMessage());
    }

    @Test
    void config_invalidHyperParameters_areRejectedNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sgd.Config(-1, 0, false, 0))
                .getMessage().contains("lr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sgd.Config(0.1, 1.0, false, 0))
                .getMessage().contains("momentum"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sgd.Config(0.1, 0, true, 0))
                .getMessage().contains("nesterov"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam.Config(0.1, 0.9, 1.0, 1e-8, 0))
                .getMessage().contains("beta2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam.Config(0.1, 0.9, 0.99, 0, 0))
                .getMessage().contains("eps"));
        Parameter p = param("w", 1.0);
        Sgd sgd = new Sgd(named(p), Sgd.Config.plain(0.1));
        assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(Double.NaN));
        sgd.setLearningRate(0.5);
        setGrad(p, 1.0);
        sgd.step();
        assertEquals(0.5, p.toDoubleArray()[0], TOL);
    }

    @Test
    void stepDecayAndMultiStep_matchTheirFormulas() {
        StepDecay s = new StepDecay(0.1, 0.5, 3);
        double[] expected = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], s.rate(e), 1e-15, "epoch " + e);
        }
        MultiStepDecay m = new MultiStepDecay(1.0, 0.1, new int[] {2, 5});
        assertEquals(1.0, m.rate(1), 1e-15);
        assertEquals(0.1, m.rate(2), 1e-15);
        assertEquals(0.1, m.rate(4), 1e-15);
        assertEquals(0.01, m.rate(5), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new MultiStepDecay(1.0, 0.1, new int[] {3, 3}));
        assertThrows(IllegalArgumentException.class, () -> s.rate(-1));
    }

    @Test
    void cosineAnnealing_hitsBaseHalfwayAndMin() {
        CosineAnnealing c = new CosineAnnealing(0.1, 0.001, 10);
        assertEquals(0.1, c.rate(0), 1e-15);
        assertEquals((0.1 + 0.001) / 2, c.rate(5), 1e-15);
        // e = 2: min + (base − min)(1 + cos(π/5))/2, cos(π/5) = (1 + √5)/4
        assertEquals(0.001 + 0.099 * (1 + (1 + Math.sqrt(5)) / 4) / 2, c.rate(2), 1e-15);
        assertEquals(0.001, c.rate(10), 1e-15);
        assertEquals(0.001, c.rate(25), 1e-15);
        for (int e = 1; e <= 10; e++) {
            assertTrue(c.rate(e) < c.rate(e - 1), "decreasing at epoch " + e);
        }
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(0.1, 0.2, 10));
    }

    /** Clamp into [lo, hi]: an idempotent projection, the identity inside. */
    private record Box(double lo, double hi) implements Constraint {
        @Override
        public String describe() {
            return "in [" + lo + ", " + hi + "]";
        }

        @Override
        public void validate(Parameter p) {
        }

        @Override
        public double violation(Parameter p) {
            double worst = 0;
            for (double x : p.toDoubleArray()) {
                worst = Math.max(worst, Math.max(lo - x, x - hi));
            }
            return worst;
        }

        @Override
        public void projectInPlace(Parameter p) {
            double[] x = p.toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.min(hi, Math.max(lo, x[i]));
            }
            p.updateInPlace(Nd4j.create(x, p.shape(), 'c').castTo(p.dtype()));
        }
    }
}
