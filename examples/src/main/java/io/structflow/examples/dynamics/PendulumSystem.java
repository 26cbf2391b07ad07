package io.structflow.examples.dynamics;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.PartitionedField;
import io.structflow.integrators.Solver;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The mathematical pendulum of [M-slides] and [CMOSS] §4.1 on {@code x = (q, p)}:
 * <pre>
 *   H(q, p) = p²/2 − cos q,      q' = ∂H/∂p = p,      p' = −∂H/∂q = −sin q
 * </pre>
 * The reference flow map {@code φ_h} is classical RK4 with {@code h/substeps} steps in float64
 * ({@link #flow}); training states are uniform in the box {@code [−π, π] × [−pMax, pMax]}
 * ({@link #sampleBox}); rollouts start on closed orbits that stay inside that box
 * ({@link #sampleOrbits}). The field reads {@code sin q} through ND4J directly: it is for data
 * generation only and records no gradient.
 */
public final class PendulumSystem {
    private PendulumSystem() {
    }

    /** {@code H(q, p) = p²/2 − cos q}. */
    public static double energy(double q, double p) {
        return 0.5 * p * p - Math.cos(q);
    }

    /** The pendulum field {@code (p, −sin q)} on {@code [batch, 2]} (no gradient). */
    public static VectorField field() {
        return x -> {
            Tensor q = PartitionedField.positions(x);
            Tensor p = PartitionedField.momenta(x);
            Tensor sin = Tensor.constant(Transforms.sin(q.value(), true));
            return Tensor.concat(1, p, sin.neg());
        };
    }

    /**
     * {@code φ_h(x)} by RK4 with {@code substeps} steps, computed in float64 and returned in
     * {@code x}'s type.
     *
     * @param x states {@code [batch, 2]}; not mutated
     */
    public static Tensor flow(Tensor x, double h, int substeps) {
        if (substeps < 1) {
            throw new IllegalArgumentException("PendulumSystem.flow: substeps expected at least 1 but got " + substeps);
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor x64 = x.detach().to(DataType.DOUBLE);
            return Solver.flow(field(), ExplicitRungeKutta.rk4(), x64, Tensor.scalar(h / substeps, DataType.DOUBLE),
                    substeps).to(x.dtype());
        }
    }

    /**
     * {@code n} states uniform in {@code [−π, π] × [−pMax, pMax]}.
     *
     * @return {@code [n, 2]} in {@code type}
     */
    public static Tensor sampleBox(int n, double pMax, SplittableRandom rng, DataType type) {
        if (n < 1 || !(pMax > 0)) {
            throw new IllegalArgumentException("PendulumSystem.sampleBox: expected n ≥ 1 and pMax > 0 but got n = " + n
                    + ", pMax = " + pMax);
        }
        double[] data = new double[2 * n];
        for (int k = 0; k < n; k++) {
            data[2 * k] = Math.PI * (2 * rng.nextDouble() - 1);
            data[2 * k + 1] = pMax * (2 * rng.nextDouble() - 1);
        }
        return Tensor.of(DataType.DOUBLE, data, n, 2).to(type);
    }

    /** Trajectory pairs {@code y = φ_h(x)}: x {@code [n, 2]}, y the same shape. */
    public record Pairs(Tensor x, Tensor y) {
    }

    /**
     * {@code n} pairs {@code (x, φ_h(x))} with x uniform in the box ({@link #sampleBox}) and y by
     * {@link #flow} with {@code substeps} RK4 steps, in {@code type}.
     */
    public static Pairs pairs(int n, double pMax, double h, int substeps, SplittableRandom rng, DataType type) {
        Tensor x = sampleBox(n, pMax, rng, type);
        return new Pairs(x, flow(x, h, substeps));
    }

    /**
     * The largest energy of a closed orbit that stays inside {@code |p| ≤ pMax}: on an orbit of
     * energy {@code E < 1} the speed is largest at {@code q = 0}, {@code |p| = √(2(E + 1))}.
     */
    public static double maxOrbitEnergy(double pMax) {
        return Math.min(0.5 * pMax * pMax - 1, 1);
    }

    /**
     * {@code n} initial states uniform in the box restricted to {@code H ≤ maxEnergy} (rejection
     * sampling): each lies on a closed orbit whose whole rollout stays in the training box when
     * {@code maxEnergy ≤ maxOrbitEnergy(pMax)}.
     *
     * @return {@code [n, 2]} as plain numbers
     */
    public static double[][] sampleOrbits(int n, double pMax, double maxEnergy, SplittableRandom rng) {
        if (n < 0 || !(maxEnergy > -1)) {
            throw new IllegalArgumentException("PendulumSystem.sampleOrbits: expected n ≥ 0 and maxEnergy > −1 (the "
                    + "minimum of H) but got n = " + n + ", maxEnergy = " + maxEnergy);
        }
        double[][] out = new double[n][];
        for (int k = 0; k < n; ) {
            double q = Math.PI * (2 * rng.nextDouble() - 1);
            double p = pMax * (2 * rng.nextDouble() - 1);
            if (energy(q, p) <= maxEnergy) {
                out[k++] = new double[] {q, p};
            }
        }
        return out;
    }
}
