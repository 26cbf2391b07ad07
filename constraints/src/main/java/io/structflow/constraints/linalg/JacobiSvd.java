package io.structflow.constraints.linalg;

import java.util.Arrays;

/**
 * Singular values of a small dense matrix by one-sided Jacobi rotations (Hestenes): rotate pairs
 * of columns until every pair is orthogonal to working precision, then the singular values are
 * the column norms. Accurate to a few ulps relative to σ₁ (Demmel &amp; Veselić, "Jacobi's method
 * is more accurate than QR", SIAM J. Matrix Anal. Appl. 13 (1992)). A complex matrix
 * {@code X + iY} is handled through its real embedding {@code [[X, −Y], [Y, X]]}, whose singular
 * values are X + iY's, each twice. Cost: O(sweeps · rows · cols²), sweeps ≈ 6–10.
 */
final class JacobiSvd {
    private static final int MAX_SWEEPS = 80;

    private JacobiSvd() {
    }

    /** Singular values of the complex {@code rows × cols} matrix {@code re + i·im} (row-major), descending, min(rows, cols) of them. */
    static double[] complexSingularValues(int rows, int cols, double[] re, double[] im) {
        double[] embedded = new double[4 * rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double x = re[r * cols + c];
                double y = im == null ? 0 : im[r * cols + c];
                embedded[r * 2 * cols + c] = x;
                embedded[r * 2 * cols + cols + c] = -y;
                embedded[(rows + r) * 2 * cols + c] = y;
                embedded[(rows + r) * 2 * cols + cols + c] = x;
            }
        }
        double[] doubled = singularValues(2 * rows, 2 * cols, embedded);
        double[] out = new double[Math.min(rows, cols)];
        for (int i = 0; i < out.length; i++) {
            out[i] = 0.5 * (doubled[2 * i] + doubled[2 * i + 1]);
        }
        return out;
    }

    /** Singular values of the real {@code rows × cols} matrix {@code a} (row-major, not modified), descending. */
    static double[] singularValues(int rows, int cols, double[] a) {
        boolean wide = cols > rows;
        int m = wide ? cols : rows;
        int n = wide ? rows : cols;
        double[][] column = new double[n][m];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (wide) {
                    column[r][c] = a[r * cols + c];
                } else {
                    column[c][r] = a[r * cols + c];
                }
            }
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    for (int i = 0; i < m; i++) {
                        alpha += column[p][i] * column[p][i];
                        beta += column[q][i] * column[q][i];
                        gamma += column[p][i] * column[q][i];
                    }
                    if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma == 0) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    for (int i = 0; i < m; i++) {
                        double x = column[p][i];
                        double y = column[q][i];
                        column[p][i] = c * x - s * y;
                        column[q][i] = s * x + c * y;
                    }
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] sigma = new double[n];
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (double v : column[j]) {
                sum += v * v;
            }
            sigma[j] = Math.sqrt(sum);
        }
        Arrays.sort(sigma);
        for (int i = 0; i < n / 2; i++) {
            double tmp = sigma[i];
            sigma[i] = sigma[n - 1 - i];
            sigma[n - 1 - i] = tmp;
        }
        return sigma;
    }
}
