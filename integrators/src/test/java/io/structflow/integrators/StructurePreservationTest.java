package io.structflow.integrators;

import static io.structflow.integrators.TestFields.D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.discretegradient.AverageVectorField;
import io.structflow.integrators.discretegradient.DiscreteGradientMethod;
import io.structflow.integrators.discretegradient.Gonzalez;
import io.structflow.integrators.discretegradient.ItohAbe;
import io.structflow.integrators.lie.CayleyHeun;
import io.structflow.integrators.ButcherTableau;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import io.structflow.integrators.symplectic.StormerVerlet;
import io.structflow.integrators.symplectic.SymplecticEuler;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Each preserved structure checked numerically against its definition (float64). */
class StructurePreservationTest {
    private static final double[][] OMEGA = {{0, 1}, {-1, 0}};

    /** Jacobian of a map [1, n] → [1, n] at x, from reverse-mode autodiff (one pass per output). */
    private static double[][] jacobian(UnaryOperator<Tensor> map, Tensor x) {
        int n = (int) x.size(1);
        Tensor v = Tensor.variable(x.value().dup());
        Tensor y = map.apply(v);
        double[][] j = new double[n][];
        for (int k = 0; k < n; k++) {
            Tensor seed = Tensor.constant(Nd4j.zeros(D, 1, n).putScalar(0, k, 1.0));
            j[k] = Autograd.grad(new Tensor[] {y}, new Tensor[] {seed}, new Tensor[] {v}, false, true)[0].toDoubleArray();
        }
        return j;
    }

    /** max |(JᵀΩJ − Ω)ᵢⱼ| for a 2 × 2 Jacobian. */
    private static double symplecticDefect(double[][] j) {
        double worst = 0;
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double s = 0;
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 2; l++) {
                        s += j[k][a] * OMEGA[k][l] * j[l][b];
                    }
                }
                worst = Math.max(worst, Math.abs(s - OMEGA[a][b]));
            }
        }
        return worst;
    }

    @Test
    void step_pendulum_symplecticMethodsSatisfyJtOmegaJEqualsOmega() {
        SeparableHamiltonian pendulum = TestFields.pendulum();
        Tensor x = TestFields.of(new double[] {0.7, -0.4}, 1, 2);
        Tensor h = TestFields.scalar(0.3);
        List<Integrator<? super SeparableHamiltonian>> symplectic = List.of(
                new SymplecticEuler(SymplecticEuler.Variant.P_FIRST), new SymplecticEuler(SymplecticEuler.Variant.Q_FIRST),
                new StormerVerlet(), new ImplicitMidpoint(ImplicitSolver.newton().withTolerance(1e-15)));
        for (Integrator<? super SeparableHamiltonian> method : symplectic) {
            double defect = symplecticDefect(jacobian(v -> method.step(pendulum, v, h), x));
            assertTrue(defect < 1e-10, method.name() + ": ‖JᵀΩJ − Ω‖ = " + defect);
            assertTrue(method.structure().contains(Structure.SYMPLECTIC), method.name());
        }
        double euler = symplecticDefect(jacobian(v -> new ExplicitEuler().step(pendulum, v, h), x));
        // det J − 1 = h² cos q for explicit Euler on the pendulum
        assertEquals(0.09 * Math.cos(0.7), euler, 1e-12);
    }

    @Test
    void step_harmonicOscillator10000Steps_energyGrowsConservedOrBounded() {
        SeparableHamiltonian oscillator = TestFields.harmonic();
        Tensor x0 = TestFields.of(new double[] {1.0, 0.0}, 1, 2);
        Tensor h = TestFields.scalar(0.05);
        int steps = 10_000;
        double e0 = 0.5;
        try (GradMode.Scope s = GradMode.noGrad()) {
            double eulerEnergy = oscillator.hamiltonian(Solver.flow(oscillator, new ExplicitEuler(), x0, h, steps)).item();
            // explicit Euler multiplies the energy by exactly (1 + h²) per step on this problem
            assertEquals(Math.pow(1 + 0.0025, steps), eulerEnergy / e0, 1e-6 * Math.pow(1 + 0.0025, steps));

            // implicit midpoint costs a Newton solve per step (~3 ms here): 2000 steps, 16 periods
            double midpointEnergy = oscillator.hamiltonian(
                    Solver.flow(oscillator, new ImplicitMidpoint(), x0, h, 2000)).item();
            assertEquals(e0, midpointEnergy, 1e-13, "implicit midpoint energy after 2000 steps");

            List<Tensor> path = Solver.states(oscillator, new SymplecticEuler(), x0, h, steps);
            double early = 0;
            double late = 0;
            for (int k = 0; k <= steps; k++) {
                double error = Math.abs(oscillator.hamiltonian(path.get(k)).item() - e0);
                if (k < 1000) {
                    early = Math.max(early, error);
                } else if (k > steps - 1000) {
                    late = Math.max(late, error);
                }
            }
            // bounded (the modified energy H + (h/2)pq keeps |H − H₀| ≤ h/2·|pq| ≤ h·E₀/2) and no drift
            assertTrue(late <= 0.5 * 0.05 * 1.0 + 1e-12, "symplectic Euler energy error " + late);
            assertTrue(late < 1.05 * early, "symplectic Euler energy drift: early " + early + ", late " + late);
        }
    }

    @Test
    void discreteGradients_descentOfNonConvexPotential_decreaseVMonotonicallyForLargeSteps() {
        Tensor w = TestFields.randn(21, 2, 4);
        GradientField descent = GradientField.descent(
                x -> x.square().sum(false, 1).mul(0.25).add(x.matmul(w).tanh().sum(false, 1)));
        for (DiscreteGradientMethod method : List.of(new Gonzalez(), new ItohAbe(), new AverageVectorField())) {
            for (double h : new double[] {0.1, 1.0, 10.0}) {
                Tensor x = TestFields.randn(22, 5, 2).mul(2);
                double[] v = descent.potential(x).toDoubleArray();
                for (int k = 0; k < 10; k++) {
                    x = method.step(descent, x, h);
                    double[] next = descent.potential(x).toDoubleArray();
                    for (int b = 0; b < v.length; b++) {
                        assertTrue(next[b] <= v[b] + 1e-12, method.name() + " h = " + h + " step " + k + " sample " + b
                                + ": V went from " + v[b] + " to " + next[b]);
                    }
                    v = next;
                }
            }
        }
    }

    @Test
    void discreteGradients_quarticOscillator_conserveHToSolverTolerance() {
        HamiltonianField quartic = new HamiltonianField() {
            @Override
            public Tensor hamiltonian(Tensor x) {
                Tensor q = PartitionedField.positions(x);
                Tensor p = PartitionedField.momenta(x);
                return p.square().mul(0.5).add(q.square().mul(0.5)).add(q.pow(4).mul(0.25)).sum(false, 1);
            }

            @Override
            public Tensor energyGradient(Tensor x) {
                Tensor q = PartitionedField.positions(x);
                return Tensor.concat(1, q.add(q.pow(3)), PartitionedField.momenta(x));
            }
        };
        Tensor x0 = TestFields.of(new double[] {1.2, 0.3, -0.5, 1.5}, 2, 2);
        for (DiscreteGradientMethod method : List.<DiscreteGradientMethod>of(new Gonzalez(), new AverageVectorField())) {
            Tensor x = x0;
            double[] h0 = quartic.hamiltonian(x0).toDoubleArray();
            for (int k = 0; k < 50; k++) {
                x = method.step(quartic, x, 0.2);
            }
            double[] h1 = quartic.hamiltonian(x).toDoubleArray();
            for (int b = 0; b < h0.length; b++) {
                assertEquals(h0[b], h1[b], 1e-11, method.name() + " sample " + b);
            }
        }
        // the midpoint rule (AVF with one node) is not energy conserving for a quartic H
        Tensor y = x0;
        for (int k = 0; k < 50; k++) {
            y = new AverageVectorField(1, ImplicitSolver.newton()).step(quartic, y, 0.2);
        }
        assertTrue(Math.abs(quartic.hamiltonian(y).toDoubleArray()[0] - quartic.hamiltonian(x0).toDoubleArray()[0]) > 1e-6);
    }

    @Test
    void cayleyHeun_sphereField1000Steps_keepsNormToRoundOff() {
        Tensor w = TestFields.randn(31, 4, 16);
        SkewField sphere = x -> {
            Tensor k = x.matmul(w).tanh().reshape(x.size(0), 4, 4);
            return k.sub(k.transpose());
        };
        Tensor x = TestFields.randn(32, 3, 4);
        double[] n0 = x.square().sum(false, 1).sqrt().toDoubleArray();
        try (GradMode.Scope s = GradMode.noGrad()) {
            x = Solver.flow(sphere, new CayleyHeun(), x, TestFields.scalar(0.5), 1000);
            Tensor euler = Solver.flow(sphere, new ExplicitEuler(), TestFields.randn(32, 3, 4), TestFields.scalar(0.5), 10);
            assertTrue(euler.square().sum(false, 1).sqrt().toDoubleArray()[0] > n0[0] * 1.01, "Euler should drift");
        }
        double[] n1 = x.square().sum(false, 1).sqrt().toDoubleArray();
        for (int b = 0; b < n0.length; b++) {
            assertEquals(n0[b], n1[b], 1e-12, "sample " + b);
        }
    }

    @Test
    void rungeKutta_massPreservingField_keepsSumOfComponents() {
        int n = 4;
        Tensor w = TestFields.randn(41, n, n * n);
        Tensor ones = Tensor.ones(D, 1, n, 1);
        // f(y) = (A(y) − A(y)ᵀ)𝟏, [CMOSS] (4.2)
        VectorField mass = y -> {
            Tensor a = y.matmul(w).tanh().reshape(y.size(0), n, n);
            return a.sub(a.transpose()).matmul(ones.broadcastTo(y.size(0), n, 1)).reshape(y.size(0), n);
        };
        ButcherTableau ralston3 = new ButcherTableau("Ralston3", 3,
                new double[][] {{0, 0, 0}, {0.5, 0, 0}, {0, 0.75, 0}}, new double[] {2.0 / 9, 1.0 / 3, 4.0 / 9});
        List<Integrator<VectorField>> methods = List.of(new ExplicitEuler(), ExplicitRungeKutta.heun(),
                ExplicitRungeKutta.midpoint(), ExplicitRungeKutta.rk4(), new ExplicitRungeKutta(ralston3),
                new ImplicitMidpoint());
        Tensor x0 = TestFields.randn(42, 3, n);
        double[] m0 = x0.sum(false, 1).toDoubleArray();
        for (Integrator<VectorField> method : methods) {
            assertTrue(method.structure().contains(Structure.LINEAR_INVARIANTS), method.name());
            Tensor x;
            try (GradMode.Scope s = GradMode.noGrad()) {
                x = Solver.flow(mass, method, x0, TestFields.scalar(0.2), 50);
            }
            double[] m1 = x.sum(false, 1).toDoubleArray();
            assertTrue(TestFields.maxAbsDiff(x, x0.toDoubleArray()) > 0.1, method.name() + " should move");
            for (int b = 0; b < m0.length; b++) {
                assertEquals(m0[b], m1[b], 1e-12, method.name() + " sample " + b);
            }
        }
    }
}
