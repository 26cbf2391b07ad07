package io.structflow.examples.vectorfield;

import java.util.SplittableRandom;

/**
 * The two fields learned in [CMOSS] App. A (Fig. 8), each on a box {@code [−r, r]ⁿ}:
 * <pre>
 *   X₁(x)ᵢ = sin³(x_{i+1}) − xᵢ³,   i = 1…4, x₅ ≡ x₁,     x ∈ [−1, 1]⁴
 *   X₂(q, p) = (p, −sin q),                               (q, p) ∈ [−2, 2]²   (the pendulum)
 * </pre>
 * X₁ is built from {@code (sin xᵢ)³} and {@code xᵢ³} as in the paper; the exact coupling used
 * there could not be checked, so this one is our choice: a dissipative gradient part
 * {@code −∇Σxᵢ⁴/4} plus a cyclic coupling that is not a gradient (its Jacobian is not symmetric),
 * so both parts of the network's splitting have work to do. The exact flow is computed by RK4 with
 * small sub-steps in double precision.
 */
public enum TargetField {
    /** The 4-dimensional field X₁. */
    X1("x1", 4, 1.0, 9),
    /** The pendulum X₂. */
    X2("x2", 2, 2.0, 41);

    private final String key;
    private final int dimension;
    private final double radius;
    private final int gridPoints;

    TargetField(String key, int dimension, double radius, int gridPoints) {
        this.key = key;
        this.dimension = dimension;
        this.radius = radius;
        this.gridPoints = gridPoints;
    }

    /** The name used in tables and results.json: {@code "x1"} or {@code "x2"}. */
    public String key() {
        return key;
    }

    /**
     * The field of this key (any case).
     *
     * @throws IllegalArgumentException naming {@code --fields} when there is none
     */
    public static TargetField of(String key) {
        for (TargetField t : values()) {
            if (t.key.equalsIgnoreCase(key.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("--fields: expected a list of x1, x2 but got '" + key + "'");
    }

    /** State dimension n. */
    public int dimension() {
        return dimension;
    }

    /** Half-width r of the box {@code [−r, r]ⁿ} of training and test points. */
    public double radius() {
        return radius;
    }

    /** Points per axis of the test grid (9⁴ for X₁, 41² for X₂). */
    public int gridPoints() {
        return gridPoints;
    }

    /** The formula, for tables and plot titles. */
    public String formula() {
        return this == X1 ? "X1(x)_i = sin^3(x_{i+1}) - x_i^3" : "X2(q, p) = (p, -sin q)";
    }

    /**
     * The field at one point.
     *
     * @param x a state of length {@link #dimension()}
     * @throws IllegalArgumentException if x has another length
     */
    public double[] value(double[] x) {
        if (x == null || x.length != dimension) {
            throw new IllegalArgumentException("TargetField." + name() + ".value: x expected length " + dimension
                    + " but got " + (x == null ? "null" : x.length));
        }
        double[] out = new double[dimension];
        if (this == X2) {
            out[0] = x[1];
            out[1] = -Math.sin(x[0]);
            return out;
        }
        for (int i = 0; i < dimension; i++) {
            double s = Math.sin(x[(i + 1) % dimension]);
            out[i] = s * s * s - x[i] * x[i] * x[i];
        }
        return out;
    }

    /**
     * The exact flow {@code φ_h(x)}, to round-off: {@code substeps} classical RK4 steps of size
     * {@code h/substeps} (local error {@code O((h/substeps)⁵)}).
     *
     * @throws IllegalArgumentException if {@code substeps < 1}
     */
    public double[] flow(double[] x, double h, int substeps) {
        if (substeps < 1) {
            throw new IllegalArgumentException("TargetField.flow: substeps expected ≥ 1 but got " + substeps);
        }
        double tau = h / substeps;
        double[] y = x.clone();
        for (int s = 0; s < substeps; s++) {
            double[] k1 = value(y);
            double[] k2 = value(axpy(y, 0.5 * tau, k1));
            double[] k3 = value(axpy(y, 0.5 * tau, k2));
            double[] k4 = value(axpy(y, tau, k3));
            for (int i = 0; i < dimension; i++) {
                y[i] += tau / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
        }
        return y;
    }

    private static double[] axpy(double[] y, double a, double[] k) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i] + a * k[i];
        }
        return out;
    }

    /**
     * {@code n} points drawn uniformly from the box, {@code [n][dimension]}.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public double[][] sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("TargetField.sample: n expected ≥ 1 but got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] out = new double[n][dimension];
        for (double[] row : out) {
            for (int j = 0; j < dimension; j++) {
                row[j] = radius * (2 * rng.nextDouble() - 1);
            }
        }
        return out;
    }

    /** The test grid: {@link #gridPoints()} equispaced points per axis (ends included), last axis fastest. */
    public double[][] grid() {
        double[] axis = axis(gridPoints);
        int total = 1;
        for (int i = 0; i < dimension; i++) {
            total *= gridPoints;
        }
        double[][] out = new double[total][dimension];
        for (int k = 0; k < total; k++) {
            int rest = k;
            for (int j = dimension - 1; j >= 0; j--) {
                out[k][j] = axis[rest % gridPoints];
                rest /= gridPoints;
            }
        }
        return out;
    }

    /** {@code n ≥ 2} equispaced points of {@code [−r, r]}. */
    public double[] axis(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("TargetField.axis: n expected ≥ 2 but got " + n);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = -radius + 2 * radius * i / (n - 1);
        }
        return out;
    }

    /** The field at each point, {@code [points][dimension]}. */
    public double[][] values(double[][] points) {
        double[][] out = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            out[i] = value(points[i]);
        }
        return out;
    }
}
