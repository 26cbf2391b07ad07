package io.structflow.examples.dynamics;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.examples.support.OptionRanges;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.SeparableHamiltonian;
import io.structflow.integrators.Solver;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import io.structflow.integrators.symplectic.SymplecticEuler;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Why structure matters ([M-slides]): three one-step methods on the harmonic oscillator
 * <pre>  H(q, p) = (q² + p²)/2,     q' = p,  p' = −q</pre>
 * <ul>
 *   <li>explicit Euler, {@code x' = x + h𝕁x}: {@code H} grows by the factor {@code 1 + h²} every
 *       step (the orbit spirals out);</li>
 *   <li>symplectic Euler ({@link SymplecticEuler.Variant#P_FIRST}): symplectic, keeps the modified
 *       energy {@code H − (h/2)qp} exactly, so {@code H} oscillates with amplitude {@code O(h)} and
 *       never drifts;</li>
 *   <li>implicit midpoint: keeps every quadratic invariant, hence {@code H}, to round-off.</li>
 * </ul>
 * Each method runs {@code steps} steps of size {@code h} from {@code (q₀, p₀)} through
 * {@link Solver#trajectory}.
 */
public final class OscillatorExperiment {
    private OscillatorExperiment() {
    }

    /** The oscillator as a separable Hamiltonian {@code K(p) = p²/2}, {@code U(q) = q²/2}. */
    public static SeparableHamiltonian oscillator() {
        return SeparableHamiltonian.of(p -> p.square().sum(false, 1).mul(0.5), q -> q.square().sum(false, 1).mul(0.5));
    }

    /**
     * The settings.
     *
     * @param h     step size, positive
     * @param steps number of steps, at least 1
     * @param q0    initial position
     * @param p0    initial momentum
     * @param type  element type of the computation
     */
    public record Config(double h, int steps, double q0, double p0, DataType type) {
        /** Validates the settings; messages name the command's options. */
        public Config {
            OptionRanges.positive("--h", h);
            OptionRanges.atLeast("--steps", steps, 1);
            OptionRanges.finite("--q0", q0);
            OptionRanges.finite("--p0", p0);
        }
    }

    /**
     * One method's trajectory and energy.
     *
     * @param key            snake_case name ({@code explicit_euler}, {@code symplectic_euler}, {@code implicit_midpoint})
     * @param name           display name
     * @param q              positions, length {@code steps + 1}
     * @param p              momenta, length {@code steps + 1}
     * @param energy         {@code H(q_k, p_k)}, length {@code steps + 1}
     * @param maxEnergyError {@code max_k |H_k − H_0|}
     * @param finalEnergy    {@code H} after the last step
     */
    public record MethodResult(String key, String name, double[] q, double[] p, double[] energy, double maxEnergyError,
                               double finalEnergy) {
        /** {@code H_N − H_0}. */
        public double finalEnergyError() {
            return energy[energy.length - 1] - energy[0];
        }
    }

    /** Runs the three methods. */
    public static List<MethodResult> run(Config c) {
        SeparableHamiltonian field = oscillator();
        Tensor x0 = Tensor.of(DataType.DOUBLE, new double[] {c.q0(), c.p0()}, 1, 2).to(c.type());
        List<MethodResult> out = new ArrayList<>();
        out.add(run("explicit_euler", "explicit Euler", field, new ExplicitEuler(), x0, c));
        out.add(run("symplectic_euler", "symplectic Euler", field, new SymplecticEuler(), x0, c));
        out.add(run("implicit_midpoint", "implicit midpoint", field, new ImplicitMidpoint(), x0, c));
        return List.copyOf(out);
    }

    private static MethodResult run(String key, String name, SeparableHamiltonian field,
                                    Integrator<? super SeparableHamiltonian> method, Tensor x0, Config c) {
        double[] states;
        try (GradMode.Scope s = GradMode.noGrad()) {
            states = Solver.trajectory(field, method, x0, c.h(), c.steps()).toDoubleArray();
        }
        int n = c.steps() + 1;
        double[] q = new double[n];
        double[] p = new double[n];
        double[] energy = new double[n];
        double worst = 0;
        for (int k = 0; k < n; k++) {
            q[k] = states[2 * k];
            p[k] = states[2 * k + 1];
            energy[k] = 0.5 * (q[k] * q[k] + p[k] * p[k]);
            worst = Math.max(worst, Math.abs(energy[k] - energy[0]));
        }
        return new MethodResult(key, name, q, p, energy, worst, energy[n - 1]);
    }
}
