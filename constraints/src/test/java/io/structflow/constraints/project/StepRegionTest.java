package io.structflow.constraints.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class StepRegionTest {
    @Test
    void boundary_hasSubstepFactorOne() {
        for (int s : new int[] {1, 2, 3}) {
            NonExpansiveStepRegion r = new NonExpansiveStepRegion(0.5, s);
            for (int i = 1; i < 100; i++) {
                double h1 = r.maxContractiveStep() * i / 100;
                assertEquals(1.0, r.substepFactor(h1, r.boundary(h1)), 1e-14, "S = " + s + ", h1 = " + h1);
            }
            // largest h2 at h1 = aS: S(1/√(1 − a²) − 1)
            assertEquals(s * (1 / Math.sqrt(0.75) - 1), r.boundary(0.5 * s), 1e-15);
        }
    }

    @Test
    void project_randomPoints_insideAndNearestAgainstBruteForce() {
        for (int s : new int[] {1, 2}) {
            NonExpansiveStepRegion r = new NonExpansiveStepRegion(0.5, s);
            int grid = 400;
            double top = r.boundary(0.5 * s);
            double[][] pts = new double[(grid + 1) * (grid + 1)][];
            int count = 0;
            for (int i = 0; i <= grid; i++) {
                for (int j = 0; j <= grid; j++) {
                    double h1 = r.maxContractiveStep() * i / grid;
                    double h2 = top * j / grid;
                    if (r.contains(h1, h2)) {
                        pts[count++] = new double[] {h1, h2};
                    }
                }
            }
            double cell = Math.hypot(r.maxContractiveStep() / grid, top / grid);
            SplittableRandom rng = new SplittableRandom(s);
            for (int k = 0; k < 200; k++) {
                double x = -1 + 4 * s * rng.nextDouble();
                double y = -1 + 2 * rng.nextDouble();
                double[] p = r.project(x, y);
                assertTrue(r.contains(p[0], p[1]) || Math.abs(r.substepFactor(p[0], p[1]) - 1) < 1e-14);
                double d = Math.hypot(p[0] - x, p[1] - y);
                double best = Double.POSITIVE_INFINITY;
                for (int q = 0; q < count; q++) {
                    best = Math.min(best, Math.hypot(pts[q][0] - x, pts[q][1] - y));
                }
                assertTrue(d <= best + 1e-9, "projection " + d + " farther than a grid point " + best);
                assertTrue(d >= best - cell, "grid point " + best + " beats projection " + d + " by more than a cell");
                assertArrayEquals(p, r.project(p[0], p[1]), 1e-12, "idempotent");
                if (r.contains(x, y)) {
                    assertArrayEquals(new double[] {x, y}, p, 0.0);
                }
            }
        }
    }

    @Test
    void twoSubsteps_strictlyContainOneSubstep() {
        NonExpansiveStepRegion one = new NonExpansiveStepRegion(0.5, 1);
        NonExpansiveStepRegion two = new NonExpansiveStepRegion(0.5, 2);
        // the exhibited point: S = 1 bound √(1 − 1.5 + 2.25) = √1.75, S = 2 bound 1 − 0.75 + 0.5625 = 0.8125
        assertFalse(one.contains(1.5, 0));
        assertTrue(two.contains(1.5, 0));
        assertEquals(Math.sqrt(1.75), one.lipschitzBound(1.5, 0), 1e-15);
        assertEquals(0.8125, two.lipschitzBound(1.5, 0), 1e-15);
        for (int i = 0; i <= 200; i++) {
            for (int j = 0; j <= 200; j++) {
                double h1 = 1.0 * i / 200;
                double h2 = 0.16 * j / 200;
                if (one.contains(h1, h2)) {
                    assertTrue(two.contains(h1, h2), "(" + h1 + ", " + h2 + ") in R₁ but not R₂");
                }
            }
        }
    }

    /** The composed maps themselves: S sub-steps of x − (h₁/S)Aᵀσ(Ax+b) then x + (h₂/S)Aᵀσ(Ax+b), A orthogonal. */
    @Test
    void boundaryPair_composedMapIsNonExpansive() {
        double a = 0.5;
        int s = 2;
        NonExpansiveStepRegion r = new NonExpansiveStepRegion(a, s);
        double h1 = 0.9 * s;
        double h2 = r.boundary(h1);
        SplittableRandom rng = new SplittableRandom(3);
        Tensor matrix = Init.orthogonal(DataType.DOUBLE, rng, 5, 5);
        Tensor b = Tensor.randn(DataType.DOUBLE, rng, 1, 5);
        Tensor x = Tensor.randn(DataType.DOUBLE, rng, 400, 5);
        Tensor y = x.add(Tensor.randn(DataType.DOUBLE, rng, 400, 5).mul(1e-3));
        double[] fx = pair(x, matrix, b, a, h1, h2, s).toDoubleArray();
        double[] fy = pair(y, matrix, b, a, h1, h2, s).toDoubleArray();
        double[] xv = x.toDoubleArray();
        double[] yv = y.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < 400; i++) {
            double num = 0;
            double den = 0;
            for (int j = 0; j < 5; j++) {
                num += Math.pow(fx[i * 5 + j] - fy[i * 5 + j], 2);
                den += Math.pow(xv[i * 5 + j] - yv[i * 5 + j], 2);
            }
            worst = Math.max(worst, Math.sqrt(num / den));
        }
        assertTrue(worst <= 1 + 1e-12, "ratio " + worst);
    }

    private static Tensor pair(Tensor x, Tensor m, Tensor b, double a, double h1, double h2, int s) {
        Tensor z = x;
        for (int k = 0; k < s; k++) {
            z = z.sub(z.matmul(m, false, true).add(b).leakyRelu(a).matmul(m).mul(h1 / s));
            z = z.add(z.matmul(m, false, true).add(b).leakyRelu(a).matmul(m).mul(h2 / s));
        }
        return z;
    }

    @Test
    void flexibleSwitching_membershipAndProjection() {
        FlexibleSwitchingRegion f = FlexibleSwitchingRegion.appendixC(0.5, 1);
        assertTrue(f.contains(0.5, -1.0));
        assertTrue(f.contains(0.5, 0.15));
        assertFalse(f.contains(0.05, -1.0));
        assertFalse(f.contains(1.5, 0.1));
        assertFalse(f.contains(0.5, -2.0));
        assertArrayEquals(new double[] {1.5, 0.0}, f.project(1.5, 0.1), 0.0);
        assertArrayEquals(new double[] {0.11, -1.9}, f.project(0.0, -3.0), 0.0);
        double[] p = f.project(0.5, 0.5);
        assertTrue(f.contains(p[0], p[1]));
        assertEquals(0.5, p[0], 0.05);
        SplittableRandom rng = new SplittableRandom(9);
        for (int k = 0; k < 200; k++) {
            double x = -1 + 4 * rng.nextDouble();
            double y = -3 + 4 * rng.nextDouble();
            double[] q = f.project(x, y);
            assertTrue(f.contains(q[0], q[1]), "(" + q[0] + ", " + q[1] + ")");
            assertArrayEquals(q, f.project(q[0], q[1]), 0.0);
        }
    }

    @Test
    void badInput_throwsClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NonExpansiveStepRegion(0, 1));
        assertTrue(e.getMessage().contains("slope a") && e.getMessage().contains("0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NonExpansiveStepRegion(-0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new NonExpansiveStepRegion(1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new NonExpansiveStepRegion(0.5, 0));
        assertThrows(ArithmeticException.class, () -> new NonExpansiveStepRegion(0.5, 1).project(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new StepBox(2, 1));
        Parameter w = new Parameter("A", Tensor.ones(DataType.DOUBLE, 3, 3).value());
        Parameter h = new Parameter("h", Tensor.ones(DataType.DOUBLE, 1).value());
        h.constrain(new EulerStepBound(w));
        IllegalArgumentException self = assertThrows(IllegalArgumentException.class, () -> w.constrain(new EulerStepBound(w)));
        assertTrue(self.getMessage().contains("A"), self.getMessage());
        Parameter vector = new Parameter("b", Tensor.ones(DataType.DOUBLE, 3).value());
        assertThrows(IllegalArgumentException.class, () -> new EulerStepBound(vector));
    }

    @Test
    void eulerBound_clampsToTwoOverNormSquared() {
        Parameter w = new Parameter("A", io.structflow.constraints.TestMatrices.withSingularValues(5, 4, 4, 2.0, 1.0, 0.5, 0.1).value());
        Parameter h = new Parameter("h", Tensor.of(DataType.DOUBLE, new double[] {0.3, 0.9, -0.2}, 3).value());
        EulerStepBound c = new EulerStepBound(w);
        h.constrain(c);
        assertEquals(0.4, c.violation(h), 1e-6);
        h.projectInPlace();
        // 2/‖A‖² = 0.5; the certified bound U ≥ ‖A‖ is within the Gram iteration's relative gap 1e-6
        // (plus its 1e-9 slack), so the clamp lands in [0.5·(1 − 2.1e-6), 0.5], never above 0.5
        double[] clamped = h.toDoubleArray();
        assertEquals(0.3, clamped[0]);
        assertEquals(0.0, clamped[2]);
        for (double bound : new double[] {clamped[1], c.lastUpperBound()}) {
            assertTrue(bound <= 0.5 && bound >= 0.5 * (1 - 2.1e-6), "step bound " + bound);
        }
    }
}
