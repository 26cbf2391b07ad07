package io.structflow.constraints.linalg;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The solution {@code X = A⁻¹B} of a square linear system, as a primitive tensor operation with
 * a backward rule written in tensor operations (so it is differentiable to any order).
 *
 * <pre>
 *   forward:   A X = B                  (Gaussian elimination with partial pivoting, float64)
 *   backward:  ∂B = A⁻ᵀ G = solve(Aᵀ, G),   ∂A = −∂B Xᵀ
 * </pre>
 * Used by the Cayley parametrisation {@code (I + S)⁻¹(I − S)}. Cost {@code O(n³ + n²k)} per
 * solve. The forward pass runs in double precision whatever the tensors' type; the result has
 * the type of {@code A}. Reference: Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed.,
 * §3.4; the adjoint rule is Giles, "Collected matrix derivative results for forward and reverse
 * mode AD" (2008), doi:10.1007/978-3-540-68942-3_4.
 */
public final class LinearSolve {
    private LinearSolve() {
    }

    /**
     * @param a square matrix {@code [n, n]}, not mutated
     * @param b right-hand sides {@code [n, k]}, same type as {@code a}, not mutated
     * @return {@code X} {@code [n, k]} with {@code AX = B}
     * @throws IllegalArgumentException on shapes or types that do not match
     * @throws ArithmeticException if A is singular to working precision or holds NaN/∞
     */
    public static Tensor solve(Tensor a, Tensor b) {
        if (a.rank() != 2 || a.size(0) != a.size(1)) {
            throw new IllegalArgumentException("solve: A expected a square matrix [n, n] but got shape "
                    + Shapes.str(a.shape()));
        }
        if (b.rank() != 2 || b.size(0) != a.size(0)) {
            throw new IllegalArgumentException("solve: B expected shape [" + a.size(0) + ", k] but got "
                    + Shapes.str(b.shape()));
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("solve: A and B expected the same element type but got "
                    + a.dtype() + " and " + b.dtype());
        }
        int n = (int) a.size(0);
        int k = (int) b.size(1);
        double[] x = gaussianElimination(a.toDoubleArray(), b.toDoubleArray(), n, k);
        INDArray out = Nd4j.create(x, new long[] {n, k}, 'c').castTo(a.dtype());
        Tensor[] self = new Tensor[1];
        self[0] = Tensor.fromOp("solve", out, g -> {
            Tensor gb = solve(a.transpose(), g);
            Tensor ga = a.requiresGrad() ? gb.matmul(self[0], false, true).neg() : null;
            return new Tensor[] {ga, b.requiresGrad() ? gb : null};
        }, a, b);
        return self[0];
    }

    /** Solves in place on copies; {@code a} is {@code n×n}, {@code b} is {@code n×k}, both row-major. */
    static double[] gaussianElimination(double[] a, double[] b, int n, int k) {
        double scale = 0;
        for (double v : a) {
            if (!Double.isFinite(v)) {
                throw new ArithmeticException("solve: A holds a non-finite value " + v);
            }
            scale = Math.max(scale, Math.abs(v));
        }
        for (double v : b) {
            if (!Double.isFinite(v)) {
                throw new ArithmeticException("solve: B holds a non-finite value " + v);
            }
        }
        double tiny = n * Math.ulp(1.0) * scale;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) {
                    pivot = r;
                }
            }
            double p = a[pivot * n + col];
            if (Math.abs(p) <= tiny) {
                throw new ArithmeticException("solve: A is singular to working precision (largest pivot "
                        + Math.abs(p) + " in column " + col + ", max |A| = " + scale + ")");
            }
            if (pivot != col) {
                swapRows(a, n, pivot, col);
                swapRows(b, k, pivot, col);
            }
            for (int r = col + 1; r < n; r++) {
                double f = a[r * n + col] / p;
                if (f == 0) {
                    continue;
                }
                for (int c = col; c < n; c++) {
                    a[r * n + c] -= f * a[col * n + c];
                }
                for (int c = 0; c < k; c++) {
                    b[r * k + c] -= f * b[col * k + c];
                }
            }
        }
        double[] x = new double[n * k];
        for (int r = n - 1; r >= 0; r--) {
            for (int c = 0; c < k; c++) {
                double s = b[r * k + c];
                for (int j = r + 1; j < n; j++) {
                    s -= a[r * n + j] * x[j * k + c];
                }
                x[r * k + c] = s / a[r * n + r];
            }
        }
        return x;
    }

    private static void swapRows(double[] m, int width, int i, int j) {
        for (int c = 0; c < width; c++) {
            double t = m[i * width + c];
            m[i * width + c] = m[j * width + c];
            m[j * width + c] = t;
        }
    }
}
