package io.structflow.examples.approximation;

import java.util.SplittableRandom;

/**
 * The two functions of [CMOSS] App. A (Fig. 7), each on a box {@code [lo, hi]ᵈ}:
 * <pre>
 *   f(x)    = x² + |x| + sin x,   x ∈ [−2, 2]
 *   g(x, y) = √(x² + y²),         (x, y) ∈ [−1, 1]²
 * </pre>
 * Both are continuous but not differentiable (at 0), so a smooth network can only approach them
 * uniformly, which is what Thm 2.2 promises.
 */
public enum Target {
    /** {@code f(x) = x² + |x| + sin x} on {@code [−2, 2]}. */
    F("f", 1, -2, 2, 401),
    /** {@code g(x, y) = √(x² + y²)} on {@code [−1, 1]²}. */
    G("g", 2, -1, 1, 61);

    private final String key;
    private final int dimension;
    private final double lo;
    private final double hi;
    private final int gridPoints;

    Target(String key, int dimension, double lo, double hi, int gridPoints) {
        this.key = key;
        this.dimension = dimension;
        this.lo = lo;
        this.hi = hi;
        this.gridPoints = gridPoints;
    }

    /** The name used in tables and results.json: {@code "f"} or {@code "g"}. */
    public String key() {
        return key;
    }

    /**
     * The target of this key (any case).
     *
     * @throws IllegalArgumentException naming {@code --targets} when there is none
     */
    public static Target of(String key) {
        for (Target t : values()) {
            if (t.key.equalsIgnoreCase(key.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("--targets: expected a list of f, g but got '" + key + "'");
    }

    /** Input dimension d. */
    public int dimension() {
        return dimension;
    }

    /** Lower end of the box along every axis. */
    public double lo() {
        return lo;
    }

    /** Upper end of the box along every axis. */
    public double hi() {
        return hi;
    }

    /** Points per axis of the test grid (401 for f, 61 × 61 for g). */
    public int gridPoints() {
        return gridPoints;
    }

    /** The formula, for tables and plot titles. */
    public String formula() {
        return this == F ? "f(x) = x² + |x| + sin x" : "g(x, y) = √(x² + y²)";
    }

    /**
     * The target's value.
     *
     * @param x a point of length {@link #dimension()}
     * @throws IllegalArgumentException if x has another length
     */
    public double value(double[] x) {
        if (x == null || x.length != dimension) {
            throw new IllegalArgumentException("Target." + name() + ".value: x expected length " + dimension + " but got "
                    + (x == null ? "null" : x.length));
        }
        return this == F ? x[0] * x[0] + Math.abs(x[0]) + Math.sin(x[0]) : Math.hypot(x[0], x[1]);
    }

    /**
     * {@code n} points drawn uniformly from the box, row-major {@code [n][d]}.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public double[][] sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("Target.sample: n expected ≥ 1 but got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] out = new double[n][dimension];
        for (double[] row : out) {
            for (int j = 0; j < dimension; j++) {
                row[j] = lo + (hi - lo) * rng.nextDouble();
            }
        }
        return out;
    }

    /**
     * The test grid: {@link #gridPoints()} equispaced points per axis including both ends; for
     * g the first coordinate varies slowest.
     */
    public double[][] grid() {
        double[] axis = axis(gridPoints);
        if (dimension == 1) {
            double[][] out = new double[gridPoints][];
            for (int i = 0; i < gridPoints; i++) {
                out[i] = new double[] {axis[i]};
            }
            return out;
        }
        double[][] out = new double[gridPoints * gridPoints][];
        for (int i = 0; i < gridPoints; i++) {
            for (int j = 0; j < gridPoints; j++) {
                out[i * gridPoints + j] = new double[] {axis[i], axis[j]};
            }
        }
        return out;
    }

    /** {@code n} equispaced points of {@code [lo, hi]}, both ends included. */
    public double[] axis(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("Target.axis: n expected ≥ 2 but got " + n);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = lo + (hi - lo) * i / (n - 1);
        }
        return out;
    }

    /** The values at each point. */
    public double[] values(double[][] points) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            out[i] = value(points[i]);
        }
        return out;
    }
}
