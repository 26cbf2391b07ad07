package io.structflow.core.autodiff;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-sample Jacobians and Jacobian–vector products of batch maps by reverse-mode autodiff. The
 * map must act on samples independently (every layer and every vector field does), so one reverse
 * pass with a seed {@code eᵢ} in every sample gives row i of every sample's Jacobian. Used by the
 * Newton iteration of implicit integrators and by the numerical property checks.
 */
public final class Jacobians {
    private Jacobians() {
    }

    /**
     * The Jacobians {@code ∂f(x)_b/∂x_b}, every sample flattened: a sample of {@code x} has
     * {@code n} entries, a sample of {@code f(x)} has {@code k}.
     *
     * @param f a map {@code [batch, …] → [batch, …]} acting on samples independently
     * @param x inputs {@code [batch, …]}; not mutated
     * @return {@code [batch][k][n]}, row-major per sample
     */
    public static double[][][] of(Function<Tensor, Tensor> f, Tensor x) {
        requireBatch("Jacobians.of", "x", x);
        int batch = (int) x.size(0);
        int n = (int) (x.length() / batch);
        try (GradMode.Scope s = GradMode.enableGrad()) {
            Tensor input = Tensor.variable(x.value().dup('c'));
            Tensor y = f.apply(input);
            requireBatch("Jacobians.of", "f(x)", y);
            if (y.size(0) != batch) {
                throw new IllegalArgumentException("Jacobians.of: f(x) expected batch size " + batch + " but got shape "
                        + Shapes.str(y.shape()));
            }
            int k = (int) (y.length() / batch);
            double[][][] jac = new double[batch][k][n];
            for (int i = 0; i < k; i++) {
                INDArray seed = Nd4j.zeros(y.dtype(), batch, k);
                seed.getColumn(i).assign(1);
                double[] row = Autograd.grad(new Tensor[] {y}, new Tensor[] {Tensor.constant(seed.reshape('c', y.shape()))},
                        new Tensor[] {input}, false, true)[0].toDoubleArray();
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(row, b * n, jac[b][i], 0, n);
                }
            }
            return jac;
        }
    }

    /**
     * The largest singular value of each sample's Jacobian by power iteration on {@code JᵀJ},
     * with {@code Jv} by the double-VJP trick ({@code Jv = ∂/∂u ⟨Jᵀu, v⟩}) and {@code Jᵀw} by one
     * reverse pass; no Jacobian is formed.
     *
     * @param f          a map acting per sample; inputs of any rank, batch first
     * @param x          inputs; not mutated
     * @param iterations power iterations ≥ 1
     * @param seed       seed of the start vectors
     * @return per sample, the estimate of {@code ‖∂f/∂x‖₂} (a lower bound that converges to it)
     */
    public static double[] topSingularValues(Function<Tensor, Tensor> f, Tensor x, int iterations, long seed) {
        if (iterations < 1) {
            throw new IllegalArgumentException("Jacobians.topSingularValues: iterations expected ≥ 1 but got " + iterations);
        }
        int batch = (int) x.size(0);
        try (GradMode.Scope s = GradMode.enableGrad()) {
            Tensor input = Tensor.variable(x.value().dup());
            Tensor y = f.apply(input);
            Tensor u = Tensor.variable(Nd4j.zeros(y.dtype(), y.shape()));
            Tensor jtu = Autograd.grad(new Tensor[] {y}, new Tensor[] {u}, new Tensor[] {input}, true, true)[0];
            Tensor v = normalise(Tensor.randn(x.dtype(), new SplittableRandom(seed), x.shape()));
            double[] sigma = new double[batch];
            for (int it = 0; it < iterations; it++) {
                Tensor jv = Autograd.grad(new Tensor[] {jtu}, new Tensor[] {v}, new Tensor[] {u}, false, true)[0];
                sigma = perSampleNorms(jv);
                Tensor jtjv = Autograd.grad(new Tensor[] {y}, new Tensor[] {jv.detach()}, new Tensor[] {input}, false,
                        true)[0];
                v = normalise(jtjv.detach());
            }
            return sigma;
        }
    }

    /**
     * The Euclidean norm of each sample (all non-batch axes).
     *
     * @param t a batch {@code [batch, …]}; not mutated
     * @return {@code [batch]}
     */
    public static double[] perSampleNorms(Tensor t) {
        int batch = (int) t.size(0);
        double[] all = t.toDoubleArray();
        int per = all.length / batch;
        double[] out = new double[batch];
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int i = 0; i < per; i++) {
                s += all[b * per + i] * all[b * per + i];
            }
            out[b] = Math.sqrt(s);
        }
        return out;
    }

    private static Tensor normalise(Tensor v) {
        double[] norms = perSampleNorms(v);
        long[] shape = new long[v.rank()];
        Arrays.fill(shape, 1);
        shape[0] = v.size(0);
        double[] inv = new double[norms.length];
        for (int b = 0; b < norms.length; b++) {
            inv[b] = norms[b] > 0 ? 1 / norms[b] : 0;
        }
        return v.mul(Tensor.of(v.dtype(), inv, shape));
    }

    /**
     * The determinant of a square matrix by LU decomposition with partial pivoting
     * (Golub &amp; Van Loan, <i>Matrix Computations</i>, Alg. 3.4.1).
     */
    public static double determinant(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("Jacobians.determinant: matrix expected square " + n + "×" + n
                        + " but row " + i + " has " + matrix[i].length + " entries");
            }
            a[i] = matrix[i].clone();
        }
        double det = 1;
        for (int k = 0; k < n; k++) {
            int pivot = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(a[i][k]) > Math.abs(a[pivot][k])) {
                    pivot = i;
                }
            }
            if (a[pivot][k] == 0) {
                return 0;
            }
            if (pivot != k) {
                double[] t = a[pivot];
                a[pivot] = a[k];
                a[k] = t;
                det = -det;
            }
            det *= a[k][k];
            for (int i = k + 1; i < n; i++) {
                double l = a[i][k] / a[k][k];
                for (int j = k + 1; j < n; j++) {
                    a[i][j] -= l * a[k][j];
                }
            }
        }
        return det;
    }

    private static void requireBatch(String where, String name, Tensor t) {
        if (t.rank() < 1 || t.size(0) < 1) {
            throw new IllegalArgumentException(where + ": " + name + " expected shape [batch, …] with batch ≥ 1 but got "
                    + Shapes.str(t.shape()));
        }
    }
}
