package io.structflow.examples.dynamics;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.Solver;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The SIR epidemic model of [CMOSS] (4.3) on {@code x = (S, I, R)}:
 * <pre>
 *   S' = −βSI,     I' = βSI − γI,     R' = γI
 * </pre>
 * whose right-hand side sums to zero, so the total population {@code S + I + R} is a linear first
 * integral. Trajectory pairs {@code (x, φ_t(x))} for training come from classical RK4 with many
 * small steps ({@link #flow}); initial conditions are drawn uniformly on the probability simplex
 * {@code {S, I, R ≥ 0, S + I + R = 1}} ({@link #sampleSimplex}).
 *
 * @param beta  infection rate β, positive
 * @param gamma recovery rate γ, positive
 */
public record SirSystem(double beta, double gamma) {
    /** Validates the rates. */
    public SirSystem {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("SirSystem: beta expected a finite positive rate but got " + beta);
        }
        if (!(gamma > 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("SirSystem: gamma expected a finite positive rate but got " + gamma);
        }
    }

    /** The right-hand side of (4.3) on {@code [batch, 3]}. */
    public VectorField field() {
        return x -> {
            Tensor s = x.slice(1, 0, 1);
            Tensor i = x.slice(1, 1, 2);
            Tensor infection = s.mul(i).mul(beta);
            Tensor recovery = i.mul(gamma);
            return Tensor.concat(1, infection.neg(), infection.sub(recovery), recovery);
        };
    }

    /**
     * The time-{@code t} flow by RK4 with {@code substeps} steps of size {@code t/substeps},
     * computed in float64 and returned in {@code x}'s type.
     *
     * @param x initial states {@code [batch, 3]}; not mutated
     * @return {@code φ_t(x)}, {@code [batch, 3]}
     */
    public Tensor flow(Tensor x, double t, int substeps) {
        if (substeps < 1) {
            throw new IllegalArgumentException("SirSystem.flow: substeps expected at least 1 but got " + substeps);
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor x64 = x.detach().to(DataType.DOUBLE);
            return Solver.flow(field(), ExplicitRungeKutta.rk4(), x64, Tensor.scalar(t / substeps, DataType.DOUBLE),
                    substeps).to(x.dtype());
        }
    }

    /**
     * {@code n} points uniform on the simplex (the spacings of two sorted uniforms, i.e.
     * Dirichlet(1, 1, 1)), drawn in float64 and returned in {@code type}.
     *
     * @return {@code [n, 3]}, rows summing to 1
     */
    public static Tensor sampleSimplex(int n, SplittableRandom rng, DataType type) {
        if (n < 1) {
            throw new IllegalArgumentException("SirSystem.sampleSimplex: n expected at least 1 but got " + n);
        }
        double[] data = new double[3 * n];
        for (int k = 0; k < n; k++) {
            double u = rng.nextDouble();
            double v = rng.nextDouble();
            double lo = Math.min(u, v);
            double hi = Math.max(u, v);
            data[3 * k] = lo;
            data[3 * k + 1] = hi - lo;
            data[3 * k + 2] = 1 - hi;
        }
        return Tensor.of(DataType.DOUBLE, data, n, 3).to(type);
    }
}
