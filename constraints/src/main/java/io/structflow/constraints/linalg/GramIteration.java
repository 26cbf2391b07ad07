package io.structflow.constraints.linalg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A certified upper bound of the largest singular value over a family of complex matrices
 * {@code M₁, …, M_F} (a dense weight is one real matrix; a circular convolution is one
 * {@code m × C} matrix per frequency), by Gram iteration (Delattre, Barthélemy, Araujo &amp; Allassonnière,
 * "Efficient bound of Lipschitz constant for convolutional layers by Gram iteration", ICML 2023):
 * <pre>
 *   G₀ = M,   G_{t+1} = G_tᴴ G_t,   σ₁(M) ≤ ‖G_t‖_F^{1/2^t} ≤ r^{1/2^{t+1}} σ₁(M),   r = rank bound min(m, n)
 * </pre>
 * since the singular values of {@code G_t} are {@code σᵢ^{2^t}}. Every {@code ‖G_t‖_F^{1/2^t}} is an
 * upper bound and {@code ‖G_t‖_F^{1/2^t} / r^{1/2^{t+1}}} a lower bound, so the iteration runs as
 * branch and bound over the family: a matrix whose upper bound falls below the best lower bound
 * can no longer hold the maximum and is dropped; the rest iterate until the largest upper bound is
 * within {@code relativeGap} of the best lower bound, or stop early once the question asked is
 * answered (the bound is at most {@code target}). Each {@code G_t} is divided by its Frobenius norm
 * and the logarithm of the scale is carried, so nothing overflows.
 *
 * <p><b>Floating point.</b> The products run in double precision; a relative error of at most
 * {@code n·u·√r} in {@code ‖G_{t+1}‖_F} (u = 2⁻⁵³) enters the bound with the exponent
 * {@code 2^{-(t+1)}}, so the accumulated relative error is below {@code 2n·u·√r}. The returned
 * value is multiplied by {@code 1 + }{@link #SLACK}, which covers it for {@code n·√r ≤ 10⁵}.
 */
final class GramIteration {
    /** Relative floating-point slack added to every bound. */
    static final double SLACK = 1e-9;
    private static final int MAX_ITERATIONS = 40;

    private GramIteration() {
    }

    /**
     * One matrix of the family: row-major real and imaginary parts (imaginary may be null). The
     * iteration takes the arrays over and overwrites them.
     */
    record Matrix(int rows, int cols, double[] re, double[] im) {
    }

    /**
     * A certified upper bound of {@code max_k σ₁(M_k)}.
     *
     * @param family      the matrices (taken over: their arrays are overwritten)
     * @param relativeGap stop when the upper bound is within this factor of the lower bound, &gt; 0
     * @param target      stop as soon as the upper bound is ≤ target (use 0 for a tight bound)
     */
    static double largestSingularValue(List<Matrix> family, double relativeGap, double target) {
        List<State> active = new ArrayList<>();
        for (Matrix m : family) {
            State s = State.of(m);
            if (s != null) {
                active.add(s);
            }
        }
        if (active.isEmpty()) {
            return 0;
        }
        while (true) {
            double upper = 0;
            double lower = 0;
            for (State s : active) {
                upper = Math.max(upper, s.upper());
                lower = Math.max(lower, s.lower());
            }
            // the early stop compares the value returned, slack included, so that a bound ≤ target is
            // found whenever the tight bound is ≤ target (certifiedAtMost agrees with upperBound)
            boolean finished = upper * (1 + SLACK) <= target || upper <= lower * (1 + relativeGap);
            if (finished || active.stream().allMatch(s -> s.iterations >= MAX_ITERATIONS)) {
                return upper * (1 + SLACK);
            }
            List<State> next = new ArrayList<>();
            for (State s : active) {
                if (s.upper() >= lower) {
                    if (s.iterations < MAX_ITERATIONS && s.upper() > lower * (1 + relativeGap)) {
                        s.square();
                    }
                    next.add(s);
                }
            }
            active = next;
        }
    }

    /** {@code G_t / ‖G_t‖_F} and {@code log ‖G_t‖_F} of one matrix. */
    private static final class State {
        private double[] re;
        private double[] im;
        private double[] spareRe;
        private double[] spareIm;
        private int rows;
        private int cols;
        private final double rank;
        private double logNorm;
        private int iterations;

        private State(Matrix m) {
            this.rows = m.rows();
            this.cols = m.cols();
            this.re = m.re();
            this.im = m.im();
            this.rank = Math.min(rows, cols);
        }

        /** The normalised state, or null for the zero matrix. */
        static State of(Matrix m) {
            State s = new State(m);
            double f = s.frobenius();
            if (f == 0) {
                return null;
            }
            s.scale(1 / f);
            s.logNorm = Math.log(f);
            return s;
        }

        double upper() {
            return Math.exp(logNorm / Math.pow(2, iterations));
        }

        double lower() {
            return Math.exp(logNorm / Math.pow(2, iterations) - Math.log(rank) / Math.pow(2, iterations + 1));
        }

        /** {@code G ← GᴴG} (or {@code GGᴴ} when that is smaller: same non-zero singular values). */
        void square() {
            boolean left = cols <= rows;   // GᴴG is cols × cols
            int size = left ? cols : rows;
            re = im == null ? realProduct(left) : complexProduct(left, size, left ? rows : cols);
            rows = size;
            cols = size;
            double f = frobenius();
            scale(1 / f);
            logNorm = 2 * logNorm + Math.log(f);
            iterations++;
        }

        /**
         * {@code GᵀG} or {@code GGᵀ} of a real G by one double-precision BLAS gemm: each entry is a
         * sum of {@code inner} products in some order, so the error bound of the class comment holds.
         */
        private double[] realProduct(boolean left) {
            try (INDArray g = Nd4j.create(re, new long[] {rows, cols}, 'c');
                 INDArray product = Nd4j.gemm(g, g, left, !left);
                 INDArray rowMajor = product.dup('c')) {
                return rowMajor.data().asDouble();
            }
        }

        /**
         * {@code GᴴG} or {@code GGᴴ} of a complex G, entry by entry, into the spare arrays (the
         * previous iterate's, once the size is fixed); sets {@link #im} and returns the real part.
         */
        private double[] complexProduct(boolean left, int size, int inner) {
            double[] outRe = spareRe != null && spareRe.length == size * size ? spareRe : new double[size * size];
            double[] outIm = spareIm != null && spareIm.length == size * size ? spareIm : new double[size * size];
            spareRe = re;
            spareIm = im;
            if (left) {
                // row by row of G, so that the inner loop runs along a row (contiguous); each entry
                // still sums its terms in the order k = 0, 1, …, as an entry-by-entry loop would
                Arrays.fill(outRe, 0);
                Arrays.fill(outIm, 0);
                for (int k = 0; k < inner; k++) {
                    int row = k * cols;
                    for (int i = 0; i < size; i++) {
                        double ar = re[row + i];   // conj(G[k][i]) = ar − i·ai
                        double ai = im[row + i];
                        int at = i * size;
                        for (int j = i; j < size; j++) {
                            double br = re[row + j];
                            double bi = im[row + j];
                            outRe[at + j] += ar * br + ai * bi;
                            outIm[at + j] += ar * bi - ai * br;
                        }
                    }
                }
                for (int i = 0; i < size; i++) {
                    for (int j = i + 1; j < size; j++) {
                        outRe[j * size + i] = outRe[i * size + j];
                        outIm[j * size + i] = -outIm[i * size + j];
                    }
                }
            } else {
                for (int i = 0; i < size; i++) {
                    for (int j = i; j < size; j++) {
                        double sr = 0;
                        double si = 0;
                        for (int k = 0; k < inner; k++) {
                            int a = i * cols + k;   // G[i][k]
                            int b = j * cols + k;   // conj(G[j][k])
                            sr += re[a] * re[b] + im[a] * im[b];
                            si += im[a] * re[b] - re[a] * im[b];
                        }
                        outRe[i * size + j] = sr;
                        outRe[j * size + i] = sr;
                        outIm[i * size + j] = si;
                        outIm[j * size + i] = -si;
                    }
                }
            }
            im = outIm;
            return outRe;
        }

        private double frobenius() {
            double s = 0;
            for (double v : re) {
                s += v * v;
            }
            if (im != null) {
                for (double v : im) {
                    s += v * v;
                }
            }
            return Math.sqrt(s);
        }

        private void scale(double f) {
            for (int i = 0; i < re.length; i++) {
                re[i] *= f;
            }
            if (im != null) {
                for (int i = 0; i < im.length; i++) {
                    im[i] *= f;
                }
            }
        }
    }
}
