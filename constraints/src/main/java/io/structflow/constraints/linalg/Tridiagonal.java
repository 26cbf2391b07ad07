package io.structflow.constraints.linalg;

/**
 * The largest eigenpair of a symmetric tridiagonal matrix T of order n (diagonal α₀…α_{n−1},
 * off-diagonal β₀…β_{n−2}), the Lanczos matrix of {@link Lanczos#largest}:
 * <ul>
 *   <li>λ_max by bisection on Sturm counts: the number of negative pivots of the LDLᵀ
 *       factorisation {@code d₀ = α₀ − x}, {@code dᵢ = αᵢ − x − β²_{i−1}/d_{i−1}} of T − xI is the
 *       number of eigenvalues of T below x (Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th
 *       ed., §8.4.1), starting from the Gershgorin interval and ending when it is a few units in
 *       the last place of ‖T‖ wide;</li>
 *   <li>its eigenvector by inverse iteration, {@code (T − λI) y = b}, solved by Gaussian
 *       elimination with partial pivoting for tridiagonal matrices (§4.3.3; LAPACK's
 *       {@code dgttrf}/{@code dgttrs}) on (T − λI)/‖T‖, a zero pivot replaced by ε as in
 *       LAPACK's {@code dstein}.</li>
 * </ul>
 * Each costs O(n) per bisection step or iteration, where a full symmetric eigensolver costs O(n³)
 * per sweep.
 */
final class Tridiagonal {
    private static final double EPS = Math.ulp(1.0);
    private static final int MAX_BISECTIONS = 200;
    private static final int INVERSE_ITERATIONS = 3;

    /** Rows of a workspace: LU diagonal, first and second superdiagonals, multipliers, interchanges, iterate. */
    private static final int D = 0;
    private static final int DU = 1;
    private static final int DU2 = 2;
    private static final int DL = 3;
    private static final int SWAP = 4;
    private static final int Y = 5;

    private Tridiagonal() {
    }

    /** Storage for {@link #eigenvector} on matrices of order at most n. */
    static double[][] workspace(int n) {
        return new double[6][n];
    }

    /** λ_max(T) of the leading n × n block, within a few units in the last place of ‖T‖ (rounded down). */
    static double largestEigenvalue(double[] alpha, double[] beta, int n) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double maxBeta2 = 0;
        for (int i = 0; i < n; i++) {
            double radius = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i + 1 < n ? Math.abs(beta[i]) : 0);
            lo = Math.min(lo, alpha[i] - radius);
            hi = Math.max(hi, alpha[i] + radius);
            if (i + 1 < n) {
                maxBeta2 = Math.max(maxBeta2, beta[i] * beta[i]);
            }
        }
        double pivmin = Double.MIN_NORMAL * Math.max(1, maxBeta2);
        double norm = Math.max(Math.abs(lo), Math.abs(hi));
        // λ_max stays in [lo, hi]: hi moves down only past points with every eigenvalue below them
        for (int step = 0; step < MAX_BISECTIONS; step++) {
            double mid = lo + 0.5 * (hi - lo);
            if (mid <= lo || mid >= hi || hi - lo <= 2 * EPS * Math.max(Math.max(Math.abs(lo), Math.abs(hi)), EPS * norm)) {
                break;
            }
            if (countBelow(alpha, beta, n, mid, pivmin) == n) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return lo;
    }

    /** The number of eigenvalues of T below x: the negative pivots of T − xI = LDLᵀ (a tiny pivot counts as negative). */
    static int countBelow(double[] alpha, double[] beta, int n, double x, double pivmin) {
        int count = 0;
        double d = 1;
        for (int i = 0; i < n; i++) {
            d = alpha[i] - x - (i > 0 ? beta[i - 1] * beta[i - 1] / d : 0);
            if (Math.abs(d) < pivmin) {
                d = -pivmin;
            }
            if (d < 0) {
                count++;
            }
        }
        return count;
    }

    /**
     * The unit eigenvector of the leading n × n block of T for its eigenvalue {@code lambda} (as
     * from {@link #largestEigenvalue}), written into {@code out[0, n)}.
     *
     * @param work a {@link #workspace} of order at least n
     */
    static void eigenvector(double[] alpha, double[] beta, int n, double lambda, double[] out, double[][] work) {
        double[] d = work[D];
        double[] du = work[DU];
        double[] du2 = work[DU2];
        double[] dl = work[DL];
        double[] swap = work[SWAP];
        double[] y = work[Y];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(norm, Math.abs(alpha[i]) + (i > 0 ? Math.abs(beta[i - 1]) : 0)
                    + (i + 1 < n ? Math.abs(beta[i]) : 0));
        }
        // (T − λI)/‖T‖: the same eigenvectors, and iterates of at most about 1/ε at any scale of T
        double scale = norm > 0 ? 1 / norm : 1;
        for (int i = 0; i < n; i++) {
            d[i] = (alpha[i] - lambda) * scale;
            du[i] = i + 1 < n ? beta[i] * scale : 0;
            dl[i] = du[i];
            du2[i] = 0;
        }
        factor(n, d, du, du2, dl, swap, EPS);
        for (int i = 0; i < n; i++) {
            // a fixed start with no special structure (fractional parts of multiples of the golden ratio)
            double t = (i + 1) * 0.6180339887498949;
            out[i] = 0.5 + (t - Math.floor(t));
        }
        for (int iteration = 0; iteration < INVERSE_ITERATIONS; iteration++) {
            System.arraycopy(out, 0, y, 0, n);
            solve(n, d, du, du2, dl, swap, y);
            double largest = 0;
            for (int i = 0; i < n; i++) {
                largest = Math.max(largest, Math.abs(y[i]));
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                out[i] = y[i] / largest;
                sum += out[i] * out[i];
            }
            double length = Math.sqrt(sum);
            for (int i = 0; i < n; i++) {
                out[i] /= length;
            }
        }
    }

    /**
     * LU factorisation with partial pivoting of the tridiagonal (dl, d, du), in place as LAPACK's
     * {@code dgttrf}: U's diagonal in d, superdiagonals in du and du2, L's multipliers in dl,
     * {@code swap[i] = 1} where rows i and i + 1 were interchanged. Pivots below {@code tiny} in
     * magnitude become ±tiny.
     */
    private static void factor(int n, double[] d, double[] du, double[] du2, double[] dl, double[] swap, double tiny) {
        for (int i = 0; i + 1 < n; i++) {
            if (Math.abs(d[i]) >= Math.abs(dl[i])) {
                d[i] = nonZero(d[i], tiny);
                double fact = dl[i] / d[i];
                dl[i] = fact;
                d[i + 1] -= fact * du[i];
                swap[i] = 0;
            } else {
                double fact = d[i] / dl[i];
                d[i] = dl[i];
                dl[i] = fact;
                double temp = du[i];
                du[i] = d[i + 1];
                d[i + 1] = temp - fact * d[i + 1];
                if (i + 2 < n) {
                    du2[i] = du[i + 1];
                    du[i + 1] = -fact * du[i + 1];
                }
                swap[i] = 1;
            }
        }
        d[n - 1] = nonZero(d[n - 1], tiny);
    }

    private static double nonZero(double pivot, double tiny) {
        return Math.abs(pivot) >= tiny ? pivot : pivot < 0 ? -tiny : tiny;
    }

    /** Solves LU y = b in place (b given in y) with the factors of {@link #factor}, as LAPACK's {@code dgttrs}. */
    private static void solve(int n, double[] d, double[] du, double[] du2, double[] dl, double[] swap, double[] y) {
        for (int i = 0; i + 1 < n; i++) {
            if (swap[i] == 0) {
                y[i + 1] -= dl[i] * y[i];
            } else {
                double temp = y[i];
                y[i] = y[i + 1];
                y[i + 1] = temp - dl[i] * y[i];
            }
        }
        y[n - 1] /= d[n - 1];
        if (n > 1) {
            y[n - 2] = (y[n - 2] - du[n - 2] * y[n - 1]) / d[n - 2];
        }
        for (int i = n - 3; i >= 0; i--) {
            y[i] = (y[i] - du[i] * y[i + 1] - du2[i] * y[i + 2]) / d[i];
        }
    }
}
