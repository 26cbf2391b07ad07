package io.structflow.constraints.linalg;

import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.internal.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The largest eigenpair of a symmetric positive semi-definite operator M (here {@code 𝒜ᵀ𝒜}) by
 * restarted Lanczos with full reorthogonalisation: the Krylov space
 * {@code span{x, Mx, …, M^{k−1}x}} of the power iterates, whose largest Ritz value is never below
 * the power iterate's Rayleigh quotient and converges like {@code exp(−2k√gap)} instead of
 * {@code (1 − gap)^k} — which matters for convolution operators, whose top singular values
 * cluster. Every Ritz value is a lower bound of λ_max. Reference: Golub &amp; Van Loan,
 * <i>Matrix Computations</i>, 4th ed., §10.1–10.3. {@link #top} gives the k largest eigenvalues
 * the same way with a block of k vectors.
 *
 * <p>An instance holds the storage of {@link #largest} (kept by each estimator, which is not
 * thread-safe either); {@link #top} and {@link #topSingularValues} are static.
 */
final class Lanczos {
    private final NormEstimateSettings settings;
    private double[][] basis = new double[0][];
    private double[] ritz = new double[0];
    private final double[] alpha;
    private final double[] beta;
    private final double[] ritzCoordinates;
    private final double[][] work;
    private double ritzValue;

    /** Storage for {@link #largest} with these settings, reused by every call. */
    Lanczos(NormEstimateSettings settings) {
        this.settings = settings;
        int k = settings.krylovDimension();
        alpha = new double[k];
        beta = new double[k];
        ritzCoordinates = new double[k];
        work = Tridiagonal.workspace(k);
    }

    /** {@code y ← M x}: x is not modified, y (of x's length) is overwritten. */
    @FunctionalInterface
    interface Product {
        void apply(double[] x, double[] y);
    }

    /**
     * @param value    the largest Ritz value θ ≤ λ_max(M)
     * @param products products with M used
     */
    record Result(double value, int products) {
    }

    /**
     * The largest Ritz pair of M from the start vector {@code vector}, which is replaced by the
     * unit Ritz vector (the next warm start). The Krylov basis is kept between calls on vectors of
     * one length, so an estimate allocates nothing per product.
     */
    Result largest(Product m, double[] vector) {
        int n = vector.length;
        if (ritz.length != n) {
            ritz = new double[n];
            basis = new double[Math.min(settings.krylovDimension(), n) + 1][];
            for (int i = 0; i < basis.length; i++) {
                basis[i] = new double[n];
            }
        }
        double[][] q = basis;
        double[] x = vector;
        normalise(x);
        double theta = 0;
        int products = 0;
        while (products < settings.maxProducts()) {
            int k = Math.min(Math.min(settings.krylovDimension(), n), settings.maxProducts() - products);
            System.arraycopy(x, 0, q[0], 0, n);
            int size = 0;
            double residual = 0;
            boolean invariant = false;
            for (int j = 0; j < k; j++) {
                double[] w = q[j + 1];
                m.apply(q[j], w);
                products++;
                alpha[j] = dot(q[j], w);
                for (int pass = 0; pass < 2; pass++) {
                    for (int i = 0; i <= j; i++) {
                        axpy(-dot(q[i], w), q[i], w);
                    }
                }
                beta[j] = norm(w);
                invariant = beta[j] <= 1e-13 * Math.max(Math.abs(alpha[j]), 1e-300);
                if (invariant) {
                    beta[j] = 0;
                }
                // the stopping rule is tested after every product, so a warm start that is already
                // (nearly) converged ends the restart early instead of filling the Krylov space
                size = j + 1;
                residual = topRitzPair(size);
                if (invariant || residual <= settings.tolerance() * Math.max(ritzValue, 0)) {
                    break;
                }
                scale(w, 1 / beta[j]);
            }
            Arrays.fill(ritz, 0);
            for (int i = 0; i < size; i++) {
                axpy(ritzCoordinates[i], q[i], ritz);
            }
            normalise(ritz);
            theta = Math.max(ritzValue, 0);
            System.arraycopy(ritz, 0, x, 0, n);
            if (residual <= settings.tolerance() * theta || theta == 0 || invariant) {
                break;
            }
        }
        return new Result(theta, products);
    }

    /**
     * The largest Ritz pair of the {@code size × size} Lanczos tridiagonal T (diagonal α,
     * off-diagonal β): sets {@link #ritzValue} = λ_max(T) and {@link #ritzCoordinates} to its unit
     * eigenvector s (coordinates in the Lanczos basis), and returns the Ritz residual
     * {@code ‖My − θy‖ = |β_{size−1} s_{size−1}|} of y = Q s. Only the top pair is computed:
     * λ_max by bisection on Sturm counts, s by inverse iteration ({@link Tridiagonal}).
     */
    private double topRitzPair(int size) {
        ritzValue = Tridiagonal.largestEigenvalue(alpha, beta, size);
        Tridiagonal.eigenvector(alpha, beta, size, ritzValue, ritzCoordinates, work);
        return Math.abs(beta[size - 1] * ritzCoordinates[size - 1]);
    }

    /**
     * The {@code k} largest singular values {@code σ₁ ≥ … ≥ σ_k} of an operator 𝒜, as
     * {@code √max(θᵢ, 0)} for the k largest Ritz values θᵢ of {@code 𝒜ᵀ𝒜} from {@link #top}: each
     * at most the singular value of its rank, not a certified bound. Cold-started from k vectors of
     * a generator seeded with {@code settings.seed()}, so the same operator gives the same values.
     *
     * @param where the calling method, for the message when k is out of range
     * @param gram  {@code x ↦ 𝒜ᵀ𝒜x} on vectors of length n; not mutating x
     * @param n     the input dimension of 𝒜
     * @param k     how many, {@code 1 ≤ k ≤ n}
     */
    static double[] topSingularValues(String where, Product gram, int n, int k,
                                      NormEstimateSettings settings) {
        if (k < 1 || k > n) {
            throw Messages.badArgument(where, "k", "1 ≤ k ≤ " + n + " (the operator's input dimension)", k);
        }
        double[] theta = top(gram, n, k, new SplitMix64(settings.seed()), settings);
        double[] sigma = new double[k];
        for (int i = 0; i < k; i++) {
            sigma[i] = Math.sqrt(Math.max(theta[i], 0));
        }
        return sigma;
    }

    /**
     * The {@code count} largest Ritz values {@code θ₁ ≥ … ≥ θ_count} of a symmetric positive
     * semi-definite M on ℝⁿ by block Lanczos with full reorthogonalisation and thick restarts. A
     * block of {@code count} random vectors (so that an eigenvalue of multiplicity up to count
     * shows all its copies, which one start vector cannot) and then, block by block, M times the
     * newest vectors extend an orthonormal basis Q of at most {@code max(krylovDimension, 3·count)}
     * vectors (and n); the Ritz values are the eigenvalues of {@code QᵀMQ}, and a restart keeps the
     * count leading Ritz vectors and continues from their residuals. Stops when every kept pair
     * has {@code ‖My − θy‖ ≤ tolerance·θ₁}, when Q spans ℝⁿ or M maps it into itself, or after
     * about {@code maxProducts} products. By Cauchy interlacing {@code θᵢ ≤ λᵢ(M)} for every i.
     * Reference: Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., §10.3.6 (block Lanczos);
     * Wu &amp; Simon, SIAM J. Matrix Anal. Appl. 22 (2000) (thick restart).
     *
     * @param count {@code 1 ≤ count ≤ n}
     * @return count values, descending
     */
    static double[] top(Product m, int n, int count, SplitMix64 rng,
                        NormEstimateSettings settings) {
        int limit = Math.min(n, Math.max(settings.krylovDimension(), 3 * count));
        List<double[]> basis = new ArrayList<>();
        List<double[]> images = new ArrayList<>();
        List<double[]> candidates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            candidates.add(DenseSpectralNorm.randomVector(rng, n));
        }
        int products = 0;
        while (true) {
            int before = basis.size();
            for (double[] c : candidates) {
                if (basis.size() == limit || products >= settings.maxProducts() && basis.size() >= count) {
                    break;
                }
                double[] q = c.clone();
                double size = norm(q);
                for (int pass = 0; pass < 2; pass++) {
                    for (double[] b : basis) {
                        axpy(-dot(b, q), b, q);
                    }
                }
                double left = norm(q);
                if (left > 1e-10 * size) {
                    basis.add(scale(q, 1 / left));
                    double[] image = new double[n];
                    m.apply(q, image);
                    images.add(image);
                    products++;
                }
            }
            boolean grew = basis.size() > before;
            if (grew && basis.size() < limit && products < settings.maxProducts()) {
                candidates = new ArrayList<>(images.subList(before, basis.size()));
                continue;
            }
            int p = basis.size();
            double[][] h = new double[p][p];
            for (int i = 0; i < p; i++) {
                for (int j = i; j < p; j++) {
                    h[i][j] = 0.5 * (dot(basis.get(i), images.get(j)) + dot(basis.get(j), images.get(i)));
                    h[j][i] = h[i][j];
                }
            }
            double[][] vectors = new double[p][p];
            double[] values = new double[p];
            jacobi(h, vectors, p, values);
            int[] order = IntStream.range(0, p).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> values[i]).reversed())
                    .mapToInt(Integer::intValue).toArray();
            double[] theta = new double[count];
            List<double[]> ritz = new ArrayList<>();
            List<double[]> ritzImages = new ArrayList<>();
            List<double[]> residuals = new ArrayList<>();
            boolean converged = true;
            double thetaMax = Math.max(values[order[0]], 0);
            for (int r = 0; r < count; r++) {
                theta[r] = values[order[r]];
                double[] y = new double[n];
                double[] my = new double[n];
                for (int i = 0; i < p; i++) {
                    axpy(vectors[i][order[r]], basis.get(i), y);
                    axpy(vectors[i][order[r]], images.get(i), my);
                }
                double[] residual = my.clone();
                axpy(-theta[r], y, residual);
                converged &= norm(residual) <= settings.tolerance() * thetaMax;
                ritz.add(y);
                ritzImages.add(my);
                residuals.add(residual);
            }
            if (converged || !grew || p == n || products >= settings.maxProducts()) {
                return theta;
            }
            basis = ritz;
            images = ritzImages;
            candidates = residuals;
        }
    }

    /**
     * Eigenvalues {@code d} of the leading {@code n × n} block of a symmetric matrix (destroyed) by
     * cyclic Jacobi; eigenvectors in the columns of the leading block of {@code v}, which must be 0.
     */
    private static void jacobi(double[][] a, double[][] v, int n, double[] d) {
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 60; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < n; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-32 * diag) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double tau = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = tau == 0 ? 1 : Math.signum(tau) / (Math.abs(tau) + Math.sqrt(tau * tau + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int r = 0; r < n; r++) {
                        double arp = a[r][p];
                        double arq = a[r][q];
                        a[r][p] = c * arp - s * arq;
                        a[r][q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < n; r++) {
                        double apr = a[p][r];
                        double aqr = a[q][r];
                        a[p][r] = c * apr - s * aqr;
                        a[q][r] = s * apr + c * aqr;
                        double vrp = v[r][p];
                        double vrq = v[r][q];
                        v[r][p] = c * vrp - s * vrq;
                        v[r][q] = s * vrp + c * vrq;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            d[i] = a[i][i];
        }
    }

    static double dot(double[] a, double[] b) {
        // four partial sums: the JIT does not reorder a floating-point reduction, so one sum runs
        // one multiply-add per cycle at best
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (int end = a.length - 3; i < end; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void axpy(double c, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += c * x[i];
        }
    }

    private static double[] scale(double[] x, double c) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= c;
        }
        return x;
    }

    private static void normalise(double[] x) {
        double n = norm(x);
        if (n == 0) {
            x[0] = 1;
            return;
        }
        scale(x, 1 / n);
    }
}
