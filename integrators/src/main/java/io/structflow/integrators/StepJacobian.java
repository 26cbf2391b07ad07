package io.structflow.integrators;

import io.structflow.core.autodiff.Jacobians;
import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The inverse Jacobian {@code (∂r/∂y)⁻¹} of an implicit step equation {@code r(x, y, h) = 0},
 * per sample, for the Newton iteration of {@link ImplicitSolver}: the Jacobians come from
 * {@link Jacobians#of}, the inverses from Gauss–Jordan elimination with partial pivoting
 * (Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., §3.4).
 */
final class StepJacobian {
    private StepJacobian() {
    }

    /**
     * The inverse of {@code ∂r/∂y} at {@code (x, y, h)} for every sample: the per-sample Jacobians
     * by {@link Jacobians#of} (valid because the field acts on samples independently), inverted by
     * Gauss–Jordan elimination with partial pivoting.
     *
     * @return {@code [batch][n·n]}, row-major per sample
     * @throws NonConvergenceException if a Jacobian is singular to working precision
     */
    static double[][] inverse(String who, ImplicitSolver.Equation equation, Tensor x, Tensor y, Tensor h) {
        Tensor xd = x.detach();
        Tensor hd = h.detach();
        double[][][] jacobians = Jacobians.of(yv -> equation.residual(xd, yv, hd), y);
        int n = jacobians.length == 0 ? 0 : jacobians[0].length;
        double[][] inverses = new double[jacobians.length][];
        for (int b = 0; b < jacobians.length; b++) {
            double[] rowMajor = new double[n * n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(jacobians[b][i], 0, rowMajor, i * n, n);
            }
            inverses[b] = invert(who, rowMajor, n, b);
        }
        return inverses;
    }

    /** {@code J⁻¹ r} per sample, as a constant of {@code r}'s shape and type. */
    static Tensor apply(double[][] inverse, Tensor r) {
        int batch = inverse.length;
        int n = (int) (r.length() / batch);
        double[] rd = r.toDoubleArray();
        double[] out = new double[rd.length];
        for (int b = 0; b < batch; b++) {
            double[] m = inverse[b];
            for (int i = 0; i < n; i++) {
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    acc += m[i * n + j] * rd[b * n + j];
                }
                out[b * n + i] = acc;
            }
        }
        return Tensor.of(r.dtype(), out, r.shape());
    }

    /** The inverses as a constant {@code [batch, n, n]} tensor. */
    static Tensor toTensor(double[][] inverse, long n, DataType type) {
        double[] flat = new double[(int) (inverse.length * n * n)];
        for (int b = 0; b < inverse.length; b++) {
            System.arraycopy(inverse[b], 0, flat, (int) (b * n * n), (int) (n * n));
        }
        return Tensor.of(type, flat, inverse.length, n, n);
    }

    /** Gauss–Jordan inverse of a row-major {@code n × n} matrix with partial pivoting. */
    static double[] invert(String who, double[] m, int n, int sample) {
        double[] a = m.clone();
        double[] inv = new double[n * n];
        double maxAbs = 0;
        for (double v : a) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        for (int i = 0; i < n; i++) {
            inv[i * n + i] = 1;
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
                throw new NonConvergenceException(who + ": the Jacobian of the step equation is singular for sample "
                        + sample + " (pivot " + p + "); try a smaller h", 0, Double.NaN);
            }
            if (pivot != col) {
                swapRows(a, n, pivot, col);
                swapRows(inv, n, pivot, col);
            }
            for (int j = 0; j < n; j++) {
                a[col * n + j] /= p;
                inv[col * n + j] /= p;
            }
            for (int row = 0; row < n; row++) {
                double factor = a[row * n + col];
                if (row == col || factor == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    a[row * n + j] -= factor * a[col * n + j];
                    inv[row * n + j] -= factor * inv[col * n + j];
                }
            }
        }
        return inv;
    }

    private static void swapRows(double[] a, int n, int i, int j) {
        for (int k = 0; k < n; k++) {
            double t = a[i * n + k];
            a[i * n + k] = a[j * n + k];
            a[j * n + k] = t;
        }
    }
}
