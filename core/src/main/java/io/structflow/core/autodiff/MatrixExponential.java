package io.structflow.core.autodiff;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The matrix exponential {@code expm(A) = Σ Aᵏ/k!} of a square matrix, with a backward rule that
 * is itself differentiable.
 *
 * <p>Forward: scaling and squaring, {@code expm(A) = (T₁₈(A/2ˢ))^{2ˢ}} with the degree-18
 * Taylor polynomial and {@code s} chosen so that {@code ‖A/2ˢ‖₁ ≤ 1/2}; the truncation error is
 * then below {@code 0.5¹⁹/19! ≈ 2e-23} relative, under double round-off. Computed in double
 * precision whatever the tensor's type.
 *
 * <p>Backward: the gradient of {@code ⟨G, expm(A)⟩} is the Fréchet derivative
 * {@code L(Aᵀ, G)}, read off the upper-right block of {@code expm([[Aᵀ, G], [0, Aᵀ]])}
 * (Najfeld &amp; Havel 1995; Higham, <i>Functions of Matrices</i>, SIAM 2008, Thm 3.6). That
 * block is built from tensor ops and this same {@code expm}, so derivatives of every order follow.
 * Used for the orthogonal parametrisation {@code A = expm(W − Wᵀ)} of [CMOSS] §1.1.
 */
public final class MatrixExponential {
    private static final int DEGREE = 18;
    private static final int JAVA_LOOP_LIMIT = 48;

    private MatrixExponential() {
    }

    /** expm of a square {@code [n, n]} tensor. */
    public static Tensor expm(Tensor a) {
        if (a.rank() != 2 || a.size(0) != a.size(1)) {
            throw new IllegalArgumentException("expm: A expected a square matrix [n, n] but got shape "
                    + Shapes.str(a.shape()));
        }
        int n = (int) a.size(0);
        INDArray out = Nd4j.createUninitialized(a.dtype(), new long[] {n, n}, 'c');
        Replay.exec((in, o) -> {
            double[] m = read(in[0], n);
            for (double v : m) {
                if (!Double.isFinite(v)) {
                    throw new ArithmeticException("expm: A holds a non-finite value " + v);
                }
            }
            double[] e = n <= JAVA_LOOP_LIMIT ? expmJava(m, n) : expmNd4j(m, n);
            DataBuffer target = o[0].data();
            for (int i = 0; i < e.length; i++) {
                target.put(i, e[i]);
            }
        }, new INDArray[] {a.value()}, out);
        return Tensor.fromOp("expm", out, g -> new Tensor[] {frechetAdjoint(a, g)}, a);
    }

    /**
     * The entries of an {@code [n, n]} array in row-major order, as doubles; straight from its
     * buffer when it is a dense row-major view (the common case), without allocating an array.
     */
    private static double[] read(INDArray x, int n) {
        double[] m = new double[n * n];
        if (x.ordering() == 'c' && x.elementWiseStride() == 1) {
            DataBuffer buffer = x.data();   // a view's buffer starts at the view's first element
            for (int i = 0; i < m.length; i++) {
                m[i] = buffer.getDouble(i);
            }
            return m;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i * n + j] = x.getDouble(i, j);
            }
        }
        return m;
    }

    /** Upper-right block of expm([[Aᵀ, G], [0, Aᵀ]]). */
    private static Tensor frechetAdjoint(Tensor a, Tensor g) {
        long n = a.size(0);
        Tensor at = a.transpose();
        Tensor top = Tensor.concat(1, at, g);
        Tensor bottom = Tensor.concat(1, Tensor.zeros(a.dtype(), n, n), at);
        Tensor block = expm(Tensor.concat(0, top, bottom));
        return block.region(new long[] {0, n}, new long[] {n, n});
    }

    private static int squarings(double[] m, int n) {
        double norm = 0;
        for (int j = 0; j < n; j++) {
            double col = 0;
            for (int i = 0; i < n; i++) {
                col += Math.abs(m[i * n + j]);
            }
            norm = Math.max(norm, col);
        }
        return norm <= 0.5 ? 0 : (int) Math.ceil(Math.log(norm / 0.5) / Math.log(2));
    }

    private static double[] expmJava(double[] m, int n) {
        int s = squarings(m, n);
        double scale = Math.scalb(1.0, -s);
        double[] x = new double[n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = m[i] * scale;
        }
        // Horner: T = I + X(I + X/2(I + X/3(... (I + X/18))))
        double[] t = identity(n);
        for (int k = DEGREE; k >= 1; k--) {
            double[] xt = multiply(x, t, n);
            t = identity(n);
            for (int i = 0; i < t.length; i++) {
                t[i] += xt[i] / k;
            }
        }
        for (int i = 0; i < s; i++) {
            t = multiply(t, t, n);
        }
        return t;
    }

    /**
     * The same polynomial and squarings by BLAS products into this thread's four work arrays
     * ({@link Scratch}): arrays made per call would be freed only when the garbage collector runs,
     * and a replayed step that allocates nothing else on the heap would grow by them without bound.
     */
    private static double[] expmNd4j(double[] m, int n) {
        int s = squarings(m, n);
        INDArray[] work = Scratch.arrays("expm", DataType.DOUBLE, new long[] {n, n}, 4);
        INDArray x = work[0];
        INDArray eye = work[1];
        INDArray t = work[2];
        INDArray next = work[3];
        double scale = Math.scalb(1.0, -s);
        DataBuffer xs = x.data();
        DataBuffer identity = eye.data();
        for (int i = 0; i < m.length; i++) {
            xs.put(i, m[i] * scale);
            identity.put(i, i % (n + 1) == 0 ? 1.0 : 0.0);
        }
        t.assign(eye);
        NativeKernel product = NativeKernel.of("matmul");   // into the given array (INDArray.mmuli goes through a temporary)
        for (int k = DEGREE; k >= 1; k--) {
            product.run(new INDArray[] {x, t}, new INDArray[] {next});
            next.divi(k).addi(eye);
            INDArray swap = t;
            t = next;
            next = swap;
        }
        for (int i = 0; i < s; i++) {
            product.run(new INDArray[] {t, t}, new INDArray[] {next});
            INDArray swap = t;
            t = next;
            next = swap;
        }
        return t.data().asDouble();
    }

    private static double[] identity(int n) {
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) {
            id[i * n + i] = 1.0;
        }
        return id;
    }

    private static double[] multiply(double[] a, double[] b, int n) {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aik * b[k * n + j];
                }
            }
        }
        return c;
    }
}
