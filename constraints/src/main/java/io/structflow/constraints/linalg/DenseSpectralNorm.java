package io.structflow.constraints.linalg;

import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.internal.SplitMix64;
import io.structflow.constraints.internal.StoredValues;
import io.structflow.constraints.internal.WarmStart;
import io.structflow.core.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The spectral norm {@code ‖W‖₂ = σ_max(W)} of a dense weight {@code [m, n]}: power iteration on
 * {@code WᵀW}, accelerated by restarted Lanczos over the power iterates ({@link Lanczos}), and
 * warm-started from the last right singular vector:
 * <pre>
 *   v ← WᵀW v (Krylov space of these iterates),   σ̂ = √θ_max
 * </pre>
 * σ̂ is a lower bound of {@code ‖W‖₂} converging to it; with the warm start, an optimiser step
 * that changes W a little costs a few products. Cost {@code 4mn} flops per product, in double
 * precision. Used for the spectral-norm bound of [CMOSS] §3 and the Euler step bound (3.5).
 * Reference: Miyato et al., "Spectral normalization for generative adversarial networks",
 * ICLR 2018 (the warm start across steps).
 *
 * <p>Not thread-safe: the warm-start vector is state.
 */
public final class DenseSpectralNorm implements OperatorNorm {
    private final NormEstimateSettings settings;
    private final SplitMix64 rng;
    private final Lanczos lanczos;
    private double[] v;
    private int products;

    /** With {@link NormEstimateSettings#defaults()}. */
    public DenseSpectralNorm() {
        this(NormEstimateSettings.defaults());
    }

    /** With the given stopping rule. */
    public DenseSpectralNorm(NormEstimateSettings settings) {
        this.settings = settings;
        this.rng = new SplitMix64(settings.seed());
        this.lanczos = new Lanczos(settings);
    }

    @Override
    public double estimate(INDArray weight) {
        if (weight.rank() != 2) {
            throw Messages.badArgument("DenseSpectralNorm.estimate", "weight", "a matrix [m, n]",
                    java.util.Arrays.toString(weight.shape()));
        }
        int m = (int) weight.size(0);
        int n = (int) weight.size(1);
        double[] w = StoredValues.read(weight);
        boolean zero = true;
        for (double x : w) {
            zero &= x == 0;
        }
        products = 0;
        if (zero) {
            return 0;
        }
        if (v == null || v.length != n) {
            v = randomVector(rng, n);
        }
        Lanczos.Result r = lanczos.largest(gram(w, m, n), v);
        products = r.products();
        return Math.sqrt(r.value());
    }

    /** {@code x ↦ WᵀWx} for W {@code [m, n]} stored row-major in {@code w}; one buffer of m reused. */
    private static Lanczos.Product gram(double[] w, int m, int n) {
        double[] u = new double[m];
        return (x, out) -> {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += w[i * n + j] * x[j];
                }
                u[i] = s;
            }
            Arrays.fill(out, 0);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    out[j] += w[i * n + j] * u[i];
                }
            }
        };
    }

    /** Block Lanczos on WᵀW ({@link OperatorNorm#topSingularValues}); k ≤ n, and values past min(m, n) are 0. */
    @Override
    public double[] topSingularValues(INDArray weight, int k) {
        if (weight.rank() != 2) {
            throw Messages.badArgument("DenseSpectralNorm.topSingularValues", "weight", "a matrix [m, n]",
                    java.util.Arrays.toString(weight.shape()));
        }
        int m = (int) weight.size(0);
        int n = (int) weight.size(1);
        return Lanczos.topSingularValues("DenseSpectralNorm.topSingularValues", gram(StoredValues.read(weight), m, n),
                n, k, settings);
    }

    /** Gram iteration on W itself ({@link GramIteration}). */
    @Override
    public double upperBound(INDArray weight, double target) {
        return GramIteration.largestSingularValue(List.of(matrix(weight)), 1e-6, target);
    }

    private static GramIteration.Matrix matrix(INDArray weight) {
        if (weight.rank() != 2) {
            throw Messages.badArgument("DenseSpectralNorm.upperBound", "weight", "a matrix [m, n]",
                    java.util.Arrays.toString(weight.shape()));
        }
        return new GramIteration.Matrix((int) weight.size(0), (int) weight.size(1), StoredValues.read(weight), null);
    }

    @Override
    public void validate(String where, Parameter weight) {
        if (weight.rank() != 2) {
            throw Messages.badShape(where, weight, "a dense weight matrix [out, in] (use ConvOperatorNorm for kernels)");
        }
    }

    @Override
    public String describe() {
        return "‖W‖₂";
    }

    @Override
    public int lastProducts() {
        return products;
    }

    /** Adds to {@code v}, in place, a random vector of the same Euclidean norm. */
    static void mixRandom(SplitMix64 rng, double[] v) {
        double[] r = randomVector(rng, v.length);
        double squared = 0;
        double randomSquared = 0;
        for (int i = 0; i < v.length; i++) {
            squared += v[i] * v[i];
            randomSquared += r[i] * r[i];
        }
        double f = Math.sqrt(squared / randomSquared);
        for (int i = 0; i < v.length; i++) {
            v[i] += f * r[i];
        }
    }

    static double[] randomVector(SplitMix64 rng, int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = rng.nextDouble() - 0.5;
        }
        return r;
    }

    @Override
    public INDArray singularValueGradient(INDArray weight) {
        if (v == null || weight.rank() != 2 || v.length != weight.size(1)) {
            throw new IllegalStateException("DenseSpectralNorm.singularValueGradient: expected an estimate of this "
                    + "weight first but got " + (v == null ? "none" : "one for another shape"));
        }
        int m = (int) weight.size(0);
        int n = (int) weight.size(1);
        double[] w = StoredValues.read(weight);
        double vNorm = 0;
        for (double x : v) {
            vNorm += x * x;
        }
        vNorm = Math.sqrt(vNorm);
        double[] u = new double[m];
        double uNorm = 0;
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += w[i * n + j] * v[j] / vNorm;
            }
            u[i] = s;
            uNorm += s * s;
        }
        uNorm = Math.sqrt(uNorm);
        double[] g = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                g[i * n + j] = u[i] / uNorm * v[j] / vNorm;
            }
        }
        return org.nd4j.linalg.factory.Nd4j.create(g, weight.shape(), 'c').castTo(weight.dataType());
    }

    @Override
    public void refreshWarmStart() {
        if (v != null) {
            mixRandom(rng, v);
        }
    }

    @Override
    public Map<String, INDArray> state() {
        return new WarmStart(v, rng.position()).toState();
    }

    @Override
    public void loadState(Map<String, INDArray> saved) {
        WarmStart w = WarmStart.fromState("DenseSpectralNorm", saved);
        v = w.vector();
        rng.setPosition(w.position());
    }
}
