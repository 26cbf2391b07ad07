package io.structflow.integrators;

import java.util.Arrays;

/**
 * The coefficients of a splitting method for {@code f = f₁ + f₂}: with {@code φ¹_t}, {@code φ²_t}
 * steps of the two pieces,
 * <pre>  φ_h = (φ²_{b_m h} ∘ φ¹_{a_m h}) ∘ … ∘ (φ²_{b_1 h} ∘ φ¹_{a_1 h})</pre>
 * i.e. the first piece is stepped by {@code a₁h}, then the second by {@code b₁h}, then the first
 * by {@code a₂h}, …; zero coefficients are skipped. Validated on construction: equal lengths,
 * finite entries, and the order conditions up to the declared order (order 1:
 * {@code Σa = Σb = 1}; order 2: {@code Σ_{i≤j} aᵢ bⱼ = 1/2}, the vanishing of the
 * {@code [f₁, f₂]} term of the BCH formula). Declared orders above 2 are rejected because they
 * are not checked. Reference: McLachlan, Quispel, <i>Splitting methods</i>, Acta Numerica 11
 * (2002), doi:10.1017/S0962492902000053.
 *
 * @param name   name for messages and tables
 * @param order  declared order, 1 or 2
 * @param first  coefficients {@code aᵢ} of the first piece (copied)
 * @param second coefficients {@code bᵢ} of the second piece (copied)
 */
public record SplittingScheme(String name, int order, double[] first, double[] second) {
    private static final double TOL = 1e-12;

    /** Lie–Trotter: {@code φ²_h ∘ φ¹_h}, order 1. */
    public static final SplittingScheme LIE_TROTTER = new SplittingScheme("LieTrotter", 1,
            new double[] {1}, new double[] {1});

    /** Strang: {@code φ¹_{h/2} ∘ φ²_h ∘ φ¹_{h/2}}, order 2, symmetric. */
    public static final SplittingScheme STRANG = new SplittingScheme("Strang", 2,
            new double[] {0.5, 0.5}, new double[] {1, 0});

    /** Validates lengths, values and order conditions; copies the arrays. */
    public SplittingScheme {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("SplittingScheme: name expected non-blank but got " + name);
        }
        if (first == null || second == null || first.length == 0 || first.length != second.length) {
            throw new IllegalArgumentException("SplittingScheme " + name + ": first and second expected the same "
                    + "non-zero length but got " + (first == null ? "null" : first.length) + " and "
                    + (second == null ? "null" : second.length));
        }
        first = first.clone();
        second = second.clone();
        for (int i = 0; i < first.length; i++) {
            if (!Double.isFinite(first[i]) || !Double.isFinite(second[i])) {
                throw new IllegalArgumentException("SplittingScheme " + name + ": coefficients expected finite but got "
                        + first[i] + ", " + second[i] + " at " + i);
            }
        }
        if (order < 1 || order > 2) {
            throw new IllegalArgumentException("SplittingScheme " + name + ": order expected 1 or 2 (the orders whose "
                    + "conditions are checked) but got " + order);
        }
        double sumFirst = Arrays.stream(first).sum();
        double sumSecond = Arrays.stream(second).sum();
        if (Math.abs(sumFirst - 1) > TOL || Math.abs(sumSecond - 1) > TOL) {
            throw new IllegalArgumentException("SplittingScheme " + name + ": coefficients expected to sum to 1 "
                    + "(consistency) but Σa = " + sumFirst + ", Σb = " + sumSecond);
        }
        if (order == 2) {
            double mixed = 0;
            for (int j = 0; j < second.length; j++) {
                for (int i = 0; i <= j; i++) {
                    mixed += first[i] * second[j];
                }
            }
            if (Math.abs(mixed - 0.5) > TOL) {
                throw new IllegalArgumentException("SplittingScheme " + name + ": declared order 2 but the order "
                        + "condition Σ_{i≤j} aᵢbⱼ = 1/2 gives " + mixed);
            }
        }
    }

    /** A copy of the first piece's coefficients. */
    @Override
    public double[] first() {
        return first.clone();
    }

    /** A copy of the second piece's coefficients. */
    @Override
    public double[] second() {
        return second.clone();
    }

    /** Number of (first, second) pairs. */
    public int length() {
        return first.length;
    }

    public double a(int i) {
        return first[i];
    }

    public double b(int i) {
        return second[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SplittingScheme s && s.name.equals(name) && s.order == order
                && Arrays.equals(s.first, first) && Arrays.equals(s.second, second);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(first)) + Arrays.hashCode(second) + order;
    }

    @Override
    public String toString() {
        return "SplittingScheme[" + name + ", order " + order + ", a = " + Arrays.toString(first) + ", b = "
                + Arrays.toString(second) + "]";
    }
}
