package io.structflow.layers.verify;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Jacobians;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.layers.Invertible;
import io.structflow.layers.LipschitzBounded;
import io.structflow.layers.Property;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Numerical checks of the properties of [CMOSS] Table 1 on given inputs, each against its
 * definition: the Lipschitz ratio (random pairs, and the top singular value of the Jacobian by
 * power iteration), the symplecticity residual {@code ‖JᵀΩJ − Ω‖_F}, {@code |det J − 1|}, the
 * change of {@code Σxᵢ} and of {@code ‖x‖}, and {@code ‖Φ⁻¹(Φ(x)) − x‖}. Every check returns a
 * {@link Check}; residual checks report the worst sample. Default tolerances:
 * {@link #defaultTolerance(DataType)} (1e-10 in float64, 1e-5 in float32).
 */
public final class PropertyChecks {
    private PropertyChecks() {
    }

    /** 1e-10 for float64, 1e-5 for float32. */
    public static double defaultTolerance(DataType type) {
        return type == DataType.DOUBLE ? 1e-10 : 1e-5;
    }

    private static Tensor evaluate(Function<Tensor, Tensor> f, Tensor x) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return f.apply(x);
        }
    }

    /**
     * The largest ratio {@code ‖f(x) − f(y)‖/‖x − y‖} over the given inputs x and random partners
     * {@code y = x + r·δ}, δ a random unit direction and r uniform in {@code (0, radius]}.
     *
     * @param f      the map (per sample)
     * @param x      inputs {@code [batch, ...]}
     * @param radius largest distance of a partner
     * @param rounds number of random partners per input
     * @param seed   seed
     * @param bound  the claimed Lipschitz constant
     * @param tolerance allowed excess over the bound
     */
    public static Check lipschitzRatio(Function<Tensor, Tensor> f, Tensor x, double radius, int rounds, long seed,
                                       double bound, double tolerance) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor fx = evaluate(f, x);
        double worst = 0;
        for (int r = 0; r < rounds; r++) {
            Tensor direction = Tensor.randn(x.dtype(), rng, x.shape());
            double[] norms = Jacobians.perSampleNorms(direction);
            double[] scale = new double[norms.length];
            for (int b = 0; b < norms.length; b++) {
                scale[b] = radius * (1 - rng.nextDouble()) / norms[b];
            }
            long[] shape = new long[x.rank()];
            java.util.Arrays.fill(shape, 1);
            shape[0] = x.size(0);
            Tensor delta = direction.mul(Tensor.of(x.dtype(), scale, shape));
            Tensor y = x.add(delta);
            double[] num = Jacobians.perSampleNorms(evaluate(f, y).sub(fx));
            double[] den = Jacobians.perSampleNorms(y.sub(x));
            for (int b = 0; b < num.length; b++) {
                if (den[b] > 0) {
                    worst = Math.max(worst, num[b] / den[b]);
                }
            }
        }
        return new Check(worst, tolerance, worst <= bound + tolerance, "max ‖f(x)−f(y)‖/‖x−y‖ over " + rounds
                + "×" + x.size(0) + " random pairs (radius " + radius + ") vs bound " + bound);
    }

    /**
     * The largest singular value of the Jacobian over the inputs, by power iteration with autodiff
     * JVP/VJP ({@link Jacobians#topSingularValues}), against the claimed Lipschitz bound.
     */
    public static Check jacobianNorm(Function<Tensor, Tensor> f, Tensor x, int iterations, long seed, double bound,
                                     double tolerance) {
        double[] sigma = Jacobians.topSingularValues(f, x, iterations, seed);
        double worst = 0;
        for (double s : sigma) {
            worst = Math.max(worst, s);
        }
        return new Check(worst, tolerance, worst <= bound + tolerance, "max ‖∂f/∂x‖₂ (power iteration, "
                + iterations + " steps) over " + sigma.length + " inputs vs bound " + bound);
    }

    /**
     * {@code max_b ‖J_bᵀ Ω J_b − Ω‖_F} for states {@code [q, p]}, {@code Ω = [[0, I], [−I, 0]]}.
     */
    public static Check symplecticity(Function<Tensor, Tensor> f, Tensor x, double tolerance) {
        double[][][] jac = Jacobians.of(f, x);
        int n = (int) x.size(1);
        if (n % 2 != 0 || jac[0].length != n) {
            throw new IllegalArgumentException("PropertyChecks.symplecticity: x expected shape [batch, 2d] mapped to "
                    + "[batch, 2d] but got n = " + n + " → " + jac[0].length);
        }
        int d = n / 2;
        double worst = 0;
        for (double[][] j : jac) {
            double s = 0;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    double v = 0;
                    for (int k = 0; k < d; k++) {
                        v += j[k][a] * j[k + d][b] - j[k + d][a] * j[k][b];
                    }
                    double omega = b == a + d ? 1 : a == b + d ? -1 : 0;
                    s += (v - omega) * (v - omega);
                }
            }
            worst = Math.max(worst, Math.sqrt(s));
        }
        return new Check(worst, tolerance, worst <= tolerance, "max ‖JᵀΩJ − Ω‖_F over " + jac.length + " inputs");
    }

    /** {@code max_b |det J_b − 1|} (LU determinant of the autodiff Jacobian). */
    public static Check unitDeterminant(Function<Tensor, Tensor> f, Tensor x, double tolerance) {
        double[][][] jac = Jacobians.of(f, x);
        double worst = 0;
        for (double[][] j : jac) {
            worst = Math.max(worst, Math.abs(Jacobians.determinant(j) - 1));
        }
        return new Check(worst, tolerance, worst <= tolerance, "max |det J − 1| over " + jac.length + " inputs");
    }

    /** {@code max_b |Σᵢf(x)_bi − Σᵢx_bi| / max(1, Σᵢ|x_bi|)}. */
    public static Check conservedSum(Function<Tensor, Tensor> f, Tensor x, double tolerance) {
        double[] in = x.toDoubleArray();
        double[] out = evaluate(f, x).toDoubleArray();
        int batch = (int) x.size(0);
        int per = in.length / batch;
        double worst = 0;
        for (int b = 0; b < batch; b++) {
            double si = 0;
            double so = 0;
            double scale = 0;
            for (int i = 0; i < per; i++) {
                si += in[b * per + i];
                so += out[b * per + i];
                scale += Math.abs(in[b * per + i]);
            }
            worst = Math.max(worst, Math.abs(so - si) / Math.max(1, scale));
        }
        return new Check(worst, tolerance, worst <= tolerance, "max relative change of Σxᵢ over " + batch + " inputs");
    }

    /** {@code max_b |‖f(x)_b‖ − ‖x_b‖| / max(1, ‖x_b‖)}. */
    public static Check conservedNorm(Function<Tensor, Tensor> f, Tensor x, double tolerance) {
        double[] in = Jacobians.perSampleNorms(x);
        double[] out = Jacobians.perSampleNorms(evaluate(f, x));
        double worst = 0;
        for (int b = 0; b < in.length; b++) {
            worst = Math.max(worst, Math.abs(out[b] - in[b]) / Math.max(1, in[b]));
        }
        return new Check(worst, tolerance, worst <= tolerance, "max relative change of ‖x‖ over " + in.length + " inputs");
    }

    /** {@code max |Φ⁻¹(Φ(x)) − x| / max(1, max|x|)}. */
    public static <L extends Invertible> Check inverse(L layer, Function<Tensor, Tensor> forward, Tensor x,
                                                       double tolerance) {
        double[] back;
        try (GradMode.Scope s = GradMode.noGrad()) {
            back = layer.inverse(forward.apply(x)).toDoubleArray();
        }
        double[] in = x.toDoubleArray();
        double worst = 0;
        double scale = 1;
        for (int i = 0; i < in.length; i++) {
            worst = Math.max(worst, Math.abs(back[i] - in[i]));
            scale = Math.max(scale, Math.abs(in[i]));
        }
        worst /= scale;
        return new Check(worst, tolerance, worst <= tolerance, "max relative |Φ⁻¹(Φ(x)) − x| over " + x.size(0)
                + " inputs");
    }

    /**
     * Checks one property of a layer on inputs x with the default tolerance of x's type:
     * LIPSCHITZ_1 by random pairs and by the Jacobian's top singular value (bound 1, both must
     * pass; the reported value is the larger), SYMPLECTIC by {@link #symplecticity},
     * VOLUME_PRESERVING by {@link #unitDeterminant}, MASS_PRESERVING by {@link #conservedSum},
     * NORM_PRESERVING by {@link #conservedNorm}, INVERTIBLE by {@link #inverse} (the layer must be
     * {@link Invertible}).
     *
     * @param layer the layer
     * @param p     the property
     * @param x     inputs {@code [batch, ...]}
     * @param seed  seed of the random pairs and start vectors
     */
    public static Check check(Module layer, Property p, Tensor x, long seed) {
        double tol = defaultTolerance(x.dtype());
        Function<Tensor, Tensor> f = layer::forward;
        return switch (p) {
            case LIPSCHITZ_1 -> {
                Check pairs = lipschitzRatio(f, x, 1.0, 4, seed, 1.0, tol);
                Check jac = jacobianNorm(f, x, 30, seed, 1.0, tol);
                yield new Check(Math.max(pairs.value(), jac.value()), tol, pairs.passed() && jac.passed(),
                        pairs.description() + "; " + jac.description());
            }
            case SYMPLECTIC -> symplecticity(f, x, tol);
            case VOLUME_PRESERVING -> unitDeterminant(f, x, tol);
            case MASS_PRESERVING -> conservedSum(f, x, tol);
            case NORM_PRESERVING -> conservedNorm(f, x, tol);
            case INVERTIBLE -> {
                if (!(layer instanceof Invertible inv)) {
                    throw new IllegalArgumentException("PropertyChecks.check: layer expected an Invertible for "
                            + "INVERTIBLE but got " + layer.getClass().getSimpleName());
                }
                yield inverse(inv, f, x, tol);
            }
        };
    }

    /** The layer's own {@link LipschitzBounded#lipschitzBound()} checked by random pairs and power iteration. */
    public static Check lipschitzBound(Module layer, Tensor x, long seed) {
        if (!(layer instanceof LipschitzBounded lb)) {
            throw new IllegalArgumentException("PropertyChecks.lipschitzBound: layer expected a LipschitzBounded but got "
                    + layer.getClass().getSimpleName());
        }
        double bound = lb.lipschitzBound();
        double tol = defaultTolerance(x.dtype()) * Math.max(1, bound);
        Function<Tensor, Tensor> f = layer::forward;
        Check pairs = lipschitzRatio(f, x, 1.0, 4, seed, bound, tol);
        Check jac = jacobianNorm(f, x, 30, seed, bound, tol);
        return new Check(Math.max(pairs.value(), jac.value()), tol, pairs.passed() && jac.passed(),
                pairs.description() + "; " + jac.description());
    }
}
