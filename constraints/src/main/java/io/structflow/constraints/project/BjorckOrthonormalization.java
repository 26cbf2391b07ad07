package io.structflow.constraints.project;

import io.structflow.constraints.guarantee.NearlyOrthonormal;
import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.internal.StoredValues;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;
import java.util.List;

/**
 * Projection onto the orthonormal matrices by Björck–Bowie iteration, the first-order Newton–
 * Schulz iteration for the orthogonal polar factor:
 * <pre>
 *   W ← W (3I − WᵀW) / 2,    until ‖WᵀW − I‖_F ≤ tolerance
 * </pre>
 * It converges quadratically to the polar factor {@code U Vᵀ} of {@code W = UΣVᵀ}, the nearest
 * matrix with orthonormal columns in Frobenius norm, whenever every singular value lies in
 * (0, √3); W is first divided by the bound {@code √‖WᵀW‖_∞ ≥ σ_max} when that bound exceeds 1.5
 * (the polar factor does not change under scaling). Tall weights {@code [m, n]}, m ≥ n, get
 * {@code WᵀW = I_n}; wide weights get orthonormal rows, {@code WWᵀ = I_m}. Runs in double
 * precision, cost {@code 2mn²} flops per iteration.
 *
 * <p>The set is {@code {W : ‖WᵀW − I‖_F ≤ tolerance}} (checked on the stored values), so a
 * weight inside it is left untouched and a second projection does nothing. Orthogonal weights
 * make the layers of [CMOSS] §3 use the sharp Lipschitz bound {@code √(1 − 2ha + h²)} of (3.10).
 * Reference: Björck &amp; Bowie, "An iterative algorithm for computing the best estimate of an
 * orthogonal matrix", SIAM J. Numer. Anal. 8 (1971), doi:10.1137/0708036; Anil, Lucas &amp; Grosse,
 * "Sorting out Lipschitz function approximation", ICML 2019.
 */
public final class BjorckOrthonormalization implements Constraint {
    private final int maxIterations;
    private final double tolerance;
    private double lastResidual = Double.NaN;
    private int lastIterations;

    /**
     * @param maxIterations Björck iterations per projection, ≥ 1
     * @param tolerance     residual ‖WᵀW − I‖_F that counts as orthonormal, &gt; 0 (float32 weights
     *                      cannot go much below ~1e-6·√n)
     */
    public BjorckOrthonormalization(int maxIterations, double tolerance) {
        this.maxIterations = Messages.atLeastOne("BjorckOrthonormalization", "maxIterations", maxIterations);
        this.tolerance = Messages.positive("BjorckOrthonormalization", "tolerance", tolerance);
    }

    /** 100 iterations, tolerance 1e-5 (suits float32 and float64 weights). */
    public BjorckOrthonormalization() {
        this(100, 1e-5);
    }

    @Override
    public String describe() {
        return "Björck: ‖WᵀW − I‖_F ≤ " + tolerance;
    }

    @Override
    public void validate(Parameter p) {
        if (p.rank() != 2) {
            throw Messages.badShape("BjorckOrthonormalization", p, "a matrix [rows, cols]");
        }
    }

    @Override
    public double violation(Parameter p) {
        validate(p);
        double r = residual(p);
        return r <= tolerance ? 0 : r;
    }

    /** {@code ‖WᵀW − I‖_F ≤ tolerance} (rows when wide), the set the projection leaves W in. */
    @Override
    public List<Guarantee> guarantees() {
        return List.of(new NearlyOrthonormal(tolerance));
    }

    /** ‖WᵀW − I‖_F (tall) or ‖WWᵀ − I‖_F (wide) of the parameter's stored value. */
    public static double residual(Parameter p) {
        boolean wide = p.size(0) < p.size(1);
        int rows = (int) Math.max(p.size(0), p.size(1));
        int cols = (int) Math.min(p.size(0), p.size(1));
        double[] w = StoredValues.read(p);
        return gramResidual(wide ? transpose(w, (int) p.size(0), (int) p.size(1)) : w, rows, cols, null);
    }

    /** Residual ‖WᵀW − I‖_F after the last projection (NaN before the first). */
    public double lastResidual() {
        return lastResidual;
    }

    /** Iterations the last projection used (0 when the weight was already inside). */
    public int lastIterations() {
        return lastIterations;
    }

    @Override
    public void projectInPlace(Parameter p) {
        validate(p);
        Messages.requireFinite(describe(), p);
        lastIterations = 0;
        lastResidual = residual(p);
        if (lastResidual <= tolerance) {
            return;
        }
        boolean wide = p.size(0) < p.size(1);
        int rows = (int) Math.max(p.size(0), p.size(1));
        int cols = (int) Math.min(p.size(0), p.size(1));
        double[] w = StoredValues.read(p);
        if (wide) {
            w = transpose(w, (int) p.size(0), (int) p.size(1));
        }
        double[] gram = new double[cols * cols];
        gramResidual(w, rows, cols, gram);
        double bound = Math.sqrt(maxAbsRowSum(gram, cols));
        if (bound > 1.5) {
            for (int i = 0; i < w.length; i++) {
                w[i] /= bound;
            }
        }
        double inner = Math.max(tolerance * 1e-3, 1e-14 * cols);
        double r = gramResidual(w, rows, cols, gram);
        while (r > inner && lastIterations < maxIterations) {
            w = step(w, gram, rows, cols);
            lastIterations++;
            double next = gramResidual(w, rows, cols, gram);
            if (next >= r && r <= tolerance) {
                break;
            }
            r = next;
        }
        if (r > tolerance) {
            throw new ArithmeticException("BjorckOrthonormalization: parameter " + p.name() + " did not reach "
                    + "‖WᵀW − I‖_F ≤ " + tolerance + " in " + maxIterations + " iterations (residual " + r
                    + "); the weight may be rank deficient");
        }
        StoredValues.write(p, wide ? transpose(w, rows, cols) : w);
        lastResidual = residual(p);
    }

    /** W(3I − G)/2 = 1.5 W − 0.5 W G for W [rows, cols] and its Gram matrix G [cols, cols]. */
    private static double[] step(double[] w, double[] gram, int rows, int cols) {
        double[] out = new double[w.length];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                double wik = w[i * cols + k];
                if (wik == 0) {
                    continue;
                }
                for (int j = 0; j < cols; j++) {
                    out[i * cols + j] -= 0.5 * wik * gram[k * cols + j];
                }
            }
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] += 1.5 * w[i * cols + j];
            }
        }
        return out;
    }

    /** ‖WᵀW − I‖_F, writing WᵀW into {@code gram} when given. */
    private static double gramResidual(double[] w, int rows, int cols, double[] gram) {
        double s = 0;
        for (int a = 0; a < cols; a++) {
            for (int b = a; b < cols; b++) {
                double g = 0;
                for (int i = 0; i < rows; i++) {
                    g += w[i * cols + a] * w[i * cols + b];
                }
                if (gram != null) {
                    gram[a * cols + b] = g;
                    gram[b * cols + a] = g;
                }
                double d = a == b ? g - 1 : g;
                s += a == b ? d * d : 2 * d * d;
            }
        }
        return Math.sqrt(s);
    }

    private static double maxAbsRowSum(double[] g, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += Math.abs(g[i * n + j]);
            }
            m = Math.max(m, s);
        }
        return m;
    }

    private static double[] transpose(double[] w, int rows, int cols) {
        double[] t = new double[w.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = w[i * cols + j];
            }
        }
        return t;
    }
}
