package io.structflow.core.autodiff;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Linear solve {@code X = A⁻¹B} as a differentiable primitive, batched ({@code [batch, n, n]})
 * or single ({@code [n, n]}). Used by the Cayley parametrisation {@code (I+S)⁻¹(I−S)}, the
 * norm-preserving Cayley–Heun method and the Newton steps of implicit integrators.
 *
 * <p>Forward: Gaussian elimination with partial pivoting per sample, in double precision.
 * Backward (written with tensor ops, so derivatives of any order follow):
 * {@code B̄ = A⁻ᵀ X̄}, {@code Ā = −B̄ Xᵀ}.
 */
public final class LinearSolve {
    private LinearSolve() {
    }

    /**
     * @param a {@code [batch, n, n]}, invertible per sample; not mutated
     * @param b {@code [batch, n, k]}; not mutated
     * @return {@code X} with {@code A X = B}, {@code [batch, n, k]}
     * @throws ArithmeticException if a matrix is singular to working precision
     */
    public static Tensor solve(Tensor a, Tensor b) {
        if (a.rank() == 2 && b.rank() == 2) {
            if (a.size(0) != a.size(1) || b.size(0) != a.size(0)) {
                throw new IllegalArgumentException("solve: A expected [n, n] and B [n, k] but got "
                        + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape()));
            }
            return solve(a.reshape(1, a.size(0), a.size(1)), b.reshape(1, b.size(0), b.size(1))).reshape(b.shape());
        }
        if (a.rank() != 3 || a.size(1) != a.size(2) || b.rank() != 3 || b.size(0) != a.size(0)
                || b.size(1) != a.size(1) || a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("solve: A expected [batch, n, n] and B [batch, n, k] of one type but got "
                    + Shapes.str(a.shape()) + " " + a.dtype() + " and " + Shapes.str(b.shape()) + " " + b.dtype());
        }
        int batch = (int) a.size(0);
        int n = (int) a.size(1);
        int k = (int) b.size(2);
        INDArray value = Tensor.alloc(a.dtype(), batch, n, k);
        Replay.exec((in, o) -> {
            double[] ad = in[0].dup('c').castTo(DataType.DOUBLE).data().asDouble();
            double[] bd = in[1].dup('c').castTo(DataType.DOUBLE).data().asDouble();
            double[] out = new double[bd.length];
            for (int s = 0; s < batch; s++) {
                solveOne(ad, s * n * n, bd, s * n * k, out, n, k, s);
            }
            o[0].assign(Nd4j.create(out, new long[] {batch, n, k}, 'c'));
        }, new INDArray[] {a.value(), b.value()}, value);
        Tensor[] self = new Tensor[1];
        self[0] = Tensor.fromOp("solve", value, g -> {
            Tensor gb = solve(a.transpose(), g);
            return new Tensor[] {a.requiresGrad() ? gb.matmul(self[0], false, true).neg() : null,
                b.requiresGrad() ? gb : null};
        }, a, b);
        return self[0];
    }

    private static void solveOne(double[] aAll, int aOff, double[] bAll, int bOff, double[] out, int n, int k, int s) {
        double[] a = new double[n * n];
        System.arraycopy(aAll, aOff, a, 0, n * n);
        double[] x = new double[n * k];
        System.arraycopy(bAll, bOff, x, 0, n * k);
        double maxAbs = 0;
        for (double v : a) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row * n + col]) > Math.abs(a[pivot * n + col])) {
                    pivot = row;
                }
            }
            double p = a[pivot * n + col];
            if (!(Math.abs(p) > n * Math.ulp(1.0) * maxAbs)) {
                throw new ArithmeticException("solve: A is singular for sample " + s + " (pivot " + p + ")");
            }
            if (pivot != col) {
                swap(a, n, pivot, col);
                swap(x, k, pivot, col);
            }
            for (int row = col + 1; row < n; row++) {
                double factor = a[row * n + col] / p;
                if (factor == 0) {
                    continue;
                }
                for (int j = col; j < n; j++) {
                    a[row * n + j] -= factor * a[col * n + j];
                }
                for (int j = 0; j < k; j++) {
                    x[row * k + j] -= factor * x[col * k + j];
                }
            }
        }
        for (int row = n - 1; row >= 0; row--) {
            for (int j = 0; j < k; j++) {
                double acc = x[row * k + j];
                for (int c = row + 1; c < n; c++) {
                    acc -= a[row * n + c] * x[c * k + j];
                }
                x[row * k + j] = acc / a[row * n + row];
            }
        }
        System.arraycopy(x, 0, out, bOff, n * k);
    }

    private static void swap(double[] m, int width, int i, int j) {
        for (int c = 0; c < width; c++) {
            double t = m[i * width + c];
            m[i * width + c] = m[j * width + c];
            m[j * width + c] = t;
        }
    }
}
