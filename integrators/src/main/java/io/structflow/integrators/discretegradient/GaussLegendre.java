package io.structflow.integrators.discretegradient;

/**
 * Gauss–Legendre quadrature on {@code [0, 1]}: {@code ∫₀¹ g(s) ds ≈ Σ wₖ g(sₖ)}, exact for
 * polynomials of degree {@code ≤ 2K − 1} with {@code K} nodes. Nodes are the roots of the Legendre
 * polynomial {@code P_K} found by Newton's method from Tricomi's initial guesses, mapped from
 * {@code [−1, 1]}; weights {@code 1/((1 − t²) P_K'(t)²)} after mapping.
 *
 * @param nodes   {@code sₖ ∈ (0, 1)}, increasing
 * @param weights {@code wₖ > 0}, summing to 1
 */
public record GaussLegendre(double[] nodes, double[] weights) {
    /** Copies the arrays. */
    public GaussLegendre {
        nodes = nodes.clone();
        weights = weights.clone();
    }

    /**
     * The {@code k}-point rule.
     *
     * @param k number of nodes, 1 to 64
     */
    public static GaussLegendre of(int k) {
        if (k < 1 || k > 64) {
            throw new IllegalArgumentException("GaussLegendre: number of nodes expected 1 to 64 but got " + k);
        }
        double[] s = new double[k];
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            double t = Math.cos(Math.PI * (i + 0.75) / (k + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++) {
                double p0 = 1;
                double p1 = t;
                for (int j = 2; j <= k; j++) {
                    double p2 = ((2 * j - 1) * t * p1 - (j - 1) * p0) / j;
                    p0 = p1;
                    p1 = p2;
                }
                derivative = k * (t * p1 - p0) / (t * t - 1);
                double dt = p1 / derivative;
                t -= dt;
                if (Math.abs(dt) < 1e-16) {
                    break;
                }
            }
            s[k - 1 - i] = (1 + t) / 2;
            w[k - 1 - i] = 1 / ((1 - t * t) * derivative * derivative);
        }
        return new GaussLegendre(s, w);
    }

    /** A copy of the nodes. */
    @Override
    public double[] nodes() {
        return nodes.clone();
    }

    /** A copy of the weights. */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** Number of nodes. */
    public int size() {
        return nodes.length;
    }
}
