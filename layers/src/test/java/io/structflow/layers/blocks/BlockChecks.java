package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Numerical property checks for the block tests (float64): Lipschitz ratios, Jacobians, gradients. */
final class BlockChecks {
    static final DataType D = DataType.DOUBLE;

    private BlockChecks() {
    }

    static Tensor randn(long seed, long... shape) {
        return Tensor.randn(D, new SplittableRandom(seed), shape);
    }

    /**
     * The largest per-sample ratio {@code ‖f(xᵢ) − f(yᵢ)‖ / ‖xᵢ − yᵢ‖} over pairs of a batch of
     * random points and of close pairs (y = x + 1e-3·noise), {@code batch} of each.
     */
    static double empiricalLipschitz(UnaryOperator<Tensor> f, long seed, int batch, long... sampleShape) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = batch;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        Tensor x = randn(seed, shape).mul(2);
        Tensor far = randn(seed + 1, shape).mul(2);
        Tensor near = x.add(randn(seed + 2, shape).mul(1e-3));
        return Math.max(maxRatio(f, x, far), maxRatio(f, x, near));
    }

    static double maxRatio(UnaryOperator<Tensor> f, Tensor x, Tensor y) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            double[] num = rowNorms(f.apply(x).sub(f.apply(y)));
            double[] den = rowNorms(x.sub(y));
            double worst = 0;
            for (int i = 0; i < num.length; i++) {
                worst = Math.max(worst, num[i] / den[i]);
            }
            return worst;
        }
    }

    static double[] rowNorms(Tensor t) {
        int b = (int) t.size(0);
        double[] v = t.toDoubleArray();
        int per = v.length / b;
        double[] out = new double[b];
        for (int i = 0; i < b; i++) {
            double s = 0;
            for (int j = 0; j < per; j++) {
                s += v[i * per + j] * v[i * per + j];
            }
            out[i] = Math.sqrt(s);
        }
        return out;
    }

    static double[] rowSums(Tensor t) {
        int b = (int) t.size(0);
        double[] v = t.toDoubleArray();
        int per = v.length / b;
        double[] out = new double[b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < per; j++) {
                out[i] += v[i * per + j];
            }
        }
        return out;
    }

    /** The Jacobian {@code ∂f/∂x} at one point {@code x [1, n]}, row by row from reverse mode. */
    static double[][] jacobian(UnaryOperator<Tensor> f, Tensor x) {
        Tensor v = Tensor.variable(x.value().dup('c'));
        Tensor y = f.apply(v);
        int m = (int) y.size(1);
        int n = (int) x.size(1);
        double[][] j = new double[m][];
        for (int i = 0; i < m; i++) {
            double[] e = new double[m];
            e[i] = 1;
            Tensor seed = Tensor.of(D, e, 1, m);
            j[i] = Autograd.grad(new Tensor[] {y}, new Tensor[] {seed}, new Tensor[] {v}, false, true)[0].toDoubleArray();
            if (j[i].length != n) {
                throw new IllegalStateException("jacobian row of length " + j[i].length);
            }
        }
        return j;
    }

    /** {@code max |JᵀΩJ − Ω|} with {@code Ω = [[0, I], [−I, 0]]} on {@code [q, p]}. */
    static double symplecticResidual(double[][] j) {
        int n = j.length;
        int d = n / 2;
        double[][] omega = new double[n][n];
        for (int i = 0; i < d; i++) {
            omega[i][d + i] = 1;
            omega[d + i][i] = -1;
        }
        double worst = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    for (int l = 0; l < n; l++) {
                        s += j[k][r] * omega[k][l] * j[l][c];
                    }
                }
                worst = Math.max(worst, Math.abs(s - omega[r][c]));
            }
        }
        return worst;
    }

    /** Determinant by LU with partial pivoting. */
    static double determinant(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
        }
        double det = 1;
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(a[i][k]) > Math.abs(a[p][k])) {
                    p = i;
                }
            }
            if (p != k) {
                double[] t = a[p];
                a[p] = a[k];
                a[k] = t;
                det = -det;
            }
            det *= a[k][k];
            for (int i = k + 1; i < n; i++) {
                double f = a[i][k] / a[k][k];
                for (int c = k; c < n; c++) {
                    a[i][c] -= f * a[k][c];
                }
            }
        }
        return det;
    }

    /**
     * Worst relative error between reverse-mode gradients of {@code L = Σ r ⊙ module(x)} with respect
     * to x and every parameter of the module, and central differences (ε = 1e-6), as
     * {@code max |a − n| / (1e-6 + 1e-5·|n|)}: a value ≤ 1 passes like {@code GradCheck}'s default.
     */
    static double gradientError(Module module, Tensor x, long seed) {
        Tensor xv = Tensor.variable(x.value().dup('c'));
        Tensor out = module.forward(xv);
        Tensor r = randn(seed, out.shape());
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(xv);
        inputs.addAll(module.parameters());
        Tensor[] analytic = Autograd.grad(new Tensor[] {out.mul(r).sum()}, null, inputs.toArray(new Tensor[0]), false,
                false);
        double worst = 0;
        double eps = 1e-6;
        for (int i = 0; i < inputs.size(); i++) {
            double[] a = analytic[i].toDoubleArray();
            double[] base = inputs.get(i).toDoubleArray();
            for (int j = 0; j < base.length; j++) {
                double plus = lossAt(module, x, r, inputs.get(i), i, base, j, eps);
                double minus = lossAt(module, x, r, inputs.get(i), i, base, j, -eps);
                double numeric = (plus - minus) / (2 * eps);
                worst = Math.max(worst, Math.abs(a[j] - numeric) / (1e-6 + 1e-5 * Math.abs(numeric)));
            }
        }
        return worst;
    }

    private static double lossAt(Module module, Tensor x, Tensor r, Tensor input, int which, double[] base, int j,
                                 double delta) {
        double[] shifted = base.clone();
        shifted[j] += delta;
        try (GradMode.Scope s = GradMode.noGrad()) {
            if (which == 0) {
                return module.forward(Tensor.of(D, shifted, x.shape())).mul(r).sum().item();
            }
            Parameter p = (Parameter) input;
            p.updateInPlace(Nd4j.create(shifted, p.shape(), 'c').castTo(D));
            try {
                return module.forward(x).mul(r).sum().item();
            } finally {
                p.updateInPlace(Nd4j.create(base, p.shape(), 'c').castTo(D));
            }
        }
    }

    /** Overwrites a parameter with the given values (row-major). */
    static void set(Parameter p, double... values) {
        p.updateInPlace(Nd4j.create(values, p.shape(), 'c').castTo(p.dtype()));
    }

    /** Overwrites every parameter whose local name matches with N(0, scale²) values. */
    static void randomise(Module m, String name, double scale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Parameter p : m.parameters()) {
            if (p.name().equals(name)) {
                p.updateInPlace(Tensor.randn(p.dtype(), rng, p.shape()).mul(scale).value());
            }
        }
    }
}
