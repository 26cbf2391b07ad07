package io.structflow.integrators;

import io.structflow.core.nn.InferenceGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The coefficients {@code (A, b, c)} of an explicit Runge–Kutta method
 * <pre>
 *   kᵢ = f(x + h Σ_{j&lt;i} aᵢⱼ kⱼ),   y = x + h Σᵢ bᵢ kᵢ,   cᵢ = Σⱼ aᵢⱼ
 * </pre>
 * validated on construction: {@code A} strictly lower triangular ({@code s × s}), {@code b} of
 * length {@code s}, and the order conditions up to the declared order hold to 1e-12 (Butcher's
 * conditions for orders 1–4: {@code Σb = 1}; {@code Σbc = 1/2}; {@code Σbc² = 1/3},
 * {@code Σ bAc = 1/6}; {@code Σbc³ = 1/4}, {@code Σ b c Ac = 1/8}, {@code Σ bAc² = 1/12},
 * {@code Σ bAAc = 1/24}). Orders above 4 are rejected because they are not checked.
 * Reference: J. C. Butcher, <i>Numerical Methods for Ordinary Differential Equations</i>, 3rd ed.,
 * Wiley 2016, §31, doi:10.1002/9781119121534.
 *
 * @param name  method name for messages and tables
 * @param order declared classical order, 1 to 4
 * @param a     strictly lower-triangular {@code s × s} stage matrix (copied)
 * @param b     weights, length {@code s} (copied)
 */
public record ButcherTableau(String name, int order, double[][] a, double[] b) {
    private static final double TOL = 1e-12;

    /** Explicit Euler: one stage, order 1. */
    public static final ButcherTableau EULER = new ButcherTableau("Euler", 1, new double[][] {{0}}, new double[] {1});

    /** Heun's method (explicit trapezoidal rule), order 2. */
    public static final ButcherTableau HEUN = new ButcherTableau("Heun", 2,
            new double[][] {{0, 0}, {1, 0}}, new double[] {0.5, 0.5});

    /** Explicit midpoint rule, order 2. */
    public static final ButcherTableau MIDPOINT = new ButcherTableau("ExplicitMidpoint", 2,
            new double[][] {{0, 0}, {0.5, 0}}, new double[] {0, 1});

    /** Ralston's third-order method (minimum error bound among three-stage order-3 tableaux), Math. Comp. 16 (1962). */
    public static final ButcherTableau RALSTON3 = new ButcherTableau("Ralston3", 3,
            new double[][] {{0, 0, 0}, {0.5, 0, 0}, {0, 0.75, 0}}, new double[] {2.0 / 9, 1.0 / 3, 4.0 / 9});

    /** The classical fourth-order Runge–Kutta method. */
    public static final ButcherTableau RK4 = new ButcherTableau("RK4", 4,
            new double[][] {{0, 0, 0, 0}, {0.5, 0, 0, 0}, {0, 0.5, 0, 0}, {0, 0, 1, 0}},
            new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6});

    /** Validates shape, explicitness and the order conditions; copies the arrays. */
    public ButcherTableau {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ButcherTableau: name expected non-blank but got " + name);
        }
        if (a == null || b == null || a.length == 0 || b.length != a.length) {
            throw new IllegalArgumentException("ButcherTableau " + name + ": expected A of s rows and b of length s "
                    + "but got " + (a == null ? "A = null" : a.length + " rows") + " and "
                    + (b == null ? "b = null" : "length " + b.length));
        }
        int s = b.length;
        double[][] copy = new double[s][];
        for (int i = 0; i < s; i++) {
            if (a[i] == null || a[i].length != s) {
                throw new IllegalArgumentException("ButcherTableau " + name + ": A row " + i + " expected length " + s
                        + " but got " + (a[i] == null ? "null" : a[i].length));
            }
            for (int j = 0; j < s; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException("ButcherTableau " + name + ": A[" + i + "][" + j
                            + "] expected finite but got " + a[i][j]);
                }
                if (j >= i && a[i][j] != 0) {
                    throw new IllegalArgumentException("ButcherTableau " + name + ": A expected strictly lower "
                            + "triangular (explicit method) but A[" + i + "][" + j + "] = " + a[i][j]);
                }
            }
            copy[i] = a[i].clone();
        }
        a = copy;
        b = b.clone();
        if (order < 1 || order > 4) {
            throw new IllegalArgumentException("ButcherTableau " + name + ": order expected 1 to 4 (the orders whose "
                    + "conditions are checked) but got " + order);
        }
        double[] c = new double[s];
        for (int i = 0; i < s; i++) {
            c[i] = Arrays.stream(a[i]).sum();
        }
        double[] ac = times(a, c);
        double[] ac2 = times(a, square(c));
        double[] aac = times(a, ac);
        double[][] conditions = {
            {1, dot(b, ones(s)), 1},
            {2, dot(b, c), 0.5},
            {3, dot(b, square(c)), 1.0 / 3}, {3, dot(b, ac), 1.0 / 6},
            {4, dot(b, cube(c)), 0.25}, {4, dot(b, product(c, ac)), 1.0 / 8},
            {4, dot(b, ac2), 1.0 / 12}, {4, dot(b, aac), 1.0 / 24}};
        String[] names = {"Σb = 1", "Σbc = 1/2", "Σbc² = 1/3", "ΣbAc = 1/6", "Σbc³ = 1/4", "Σb·c·Ac = 1/8",
            "ΣbAc² = 1/12", "ΣbAAc = 1/24"};
        for (int k = 0; k < conditions.length; k++) {
            if (conditions[k][0] <= order && Math.abs(conditions[k][1] - conditions[k][2]) > TOL) {
                throw new IllegalArgumentException("ButcherTableau " + name + ": declared order " + order
                        + " but the order condition " + names[k] + " gives " + conditions[k][1]);
            }
        }
    }

    /** Number of stages {@code s}. */
    public int stages() {
        return b.length;
    }

    /** A copy of the stage matrix. */
    @Override
    public double[][] a() {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    /** A copy of the weights. */
    @Override
    public double[] b() {
        return b.clone();
    }

    /** The nodes {@code cᵢ = Σⱼ aᵢⱼ}. */
    public double[] c() {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = Arrays.stream(a[i]).sum();
        }
        return c;
    }

    /** Entry {@code aᵢⱼ} without copying. */
    public double entry(int i, int j) {
        return a[i][j];
    }

    /** Weight {@code bᵢ} without copying. */
    public double weight(int i) {
        return b[i];
    }

    /**
     * Whether the method computes {@code y = x + h f(x)} for every field, whatever its name: every
     * stage with a non-zero weight evaluates f at x itself (its row of A is zero) and those weights
     * sum to 1 exactly.
     */
    public boolean computesExplicitEuler() {
        double sum = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] != 0) {
                for (double aij : a[i]) {
                    if (aij != 0) {
                        return false;
                    }
                }
                sum += b[i];
            }
        }
        return sum == 1;
    }

    /**
     * An upper bound of the Lipschitz constant of one step of size τ on a field with Lipschitz
     * constant L: with stage bounds {@code ℓᵢ = L(1 + |τ| Σⱼ |aᵢⱼ| ℓⱼ)} the step is
     * {@code (1 + |τ| Σᵢ |bᵢ| ℓᵢ)}-Lipschitz (for explicit Euler {@code 1 + |τ|L}); 1 for τ = 0 and
     * {@code +∞} when L is unknown (infinite).
     */
    public double lipschitzBound(double tau, double lipschitz) {
        if (tau == 0) {
            return 1;
        }
        if (!Double.isFinite(lipschitz)) {
            return Double.POSITIVE_INFINITY;
        }
        double[] stage = new double[b.length];
        double out = 1;
        for (int i = 0; i < b.length; i++) {
            double sum = 0;
            for (int j = 0; j < i; j++) {
                sum += Math.abs(a[i][j]) * stage[j];
            }
            stage[i] = lipschitz * (1 + Math.abs(tau) * sum);
            out += Math.abs(tau) * Math.abs(b[i]) * stage[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ButcherTableau t && t.name.equals(name) && t.order == order
                && Arrays.deepEquals(t.a, a) && Arrays.equals(t.b, b);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.deepHashCode(a)) + Arrays.hashCode(b) + order;
    }

    @Override
    public String toString() {
        return "ButcherTableau[" + name + ", order " + order + ", A = " + Arrays.deepToString(a) + ", b = "
                + Arrays.toString(b) + "]";
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }

    private static double[] times(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = dot(m[i], v);
        }
        return out;
    }

    private static double[] ones(int s) {
        double[] o = new double[s];
        Arrays.fill(o, 1);
        return o;
    }

    private static double[] square(double[] v) {
        return product(v, v);
    }

    private static double[] cube(double[] v) {
        return product(v, square(v));
    }

    private static double[] product(double[] u, double[] v) {
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = u[i] * v[i];
        }
        return out;
    }

    /**
     * Appends one step of this method to an inference graph, written out from the tableau:
     * <pre>
     *   k_i = f(x + h Σ_{j<i} a_ij k_j),   φ_h(x) = x + h Σ_i b_i k_i
     * </pre>
     * (terms with a zero coefficient are left out).
     *
     * @param field appends one evaluation of the vector field
     * @param x     the state
     * @param h     the step size
     */
    public InferenceGraph.Value appendStep(InferenceGraph graph, UnaryOperator<InferenceGraph.Value> field,
                                           InferenceGraph.Value x, double h) {
        int s = b.length;
        List<InferenceGraph.Value> k = new ArrayList<>(s);
        for (int i = 0; i < s; i++) {
            k.add(field.apply(combination(graph, x, k, a[i], h)));
        }
        return combination(graph, x, k, b, h);
    }

    /** {@code x + h Σ_j c_j k_j} over the stages computed so far. */
    private static InferenceGraph.Value combination(InferenceGraph graph, InferenceGraph.Value x,
                                                    List<InferenceGraph.Value> k, double[] c, double h) {
        InferenceGraph.Value y = x;
        for (int j = 0; j < k.size(); j++) {
            if (c[j] != 0) {
                y = graph.add(y, graph.scale(k.get(j), h * c[j]));
            }
        }
        return y;
    }
}
