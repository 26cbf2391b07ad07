package io.structflow.robustness;

/**
 * Pairwise Lipschitz certificates: bounds {@code K_ij ≥ Lip(f_i − f_j)} of the differences of a
 * classifier's logits in the Euclidean norm. Over a ball {@code ‖δ‖₂ ≤ ε} each difference changes
 * by at most {@code ε·K_ij}, so a sample {@code (x, y)} keeps its label at radius ε when
 * <pre>
 *   f_y(x) − f_j(x)  &gt;  ε · K_yj     for every j ≠ y
 * </pre>
 * (at ε = 0: all differences positive, i.e. correctly classified without a tie). With a bound L of
 * the whole model, {@code K_ij = ‖e_i − e_j‖·L = √2·L} for every pair is the certificate
 * {@code margin > √2·ε·L} of {@link MarginCertificate} ([CMOSS] (3.1), Tsuzuku et al. 2018); a
 * last layer with normalised rows {@code ŵ_i} on a body of bound {@code L_g} gives the tighter
 * {@code K_ij = L_g·‖ŵ_i − ŵ_j‖} (GloRo, Leino, Wang &amp; Fredrikson, ICML 2021; Singla, Singla
 * &amp; Feizi, ICLR 2022). A constant of +∞ certifies nothing at ε &gt; 0 for that pair.
 *
 * <p>Immutable. The certified radius of a sample is {@code min_{j≠y} (f_y − f_j)/K_yj}.
 */
public final class PairwiseLipschitz {
    private static final String WHERE = "PairwiseLipschitz";

    private final double lipschitz;
    private final double[][] constants;

    private PairwiseLipschitz(double lipschitz, double[][] constants) {
        this.lipschitz = lipschitz;
        this.constants = constants;
    }

    /**
     * {@code K_ij = √2·L} for every pair, any number of classes.
     *
     * @param lipschitz an upper bound L ≥ 0 of the whole model's Lipschitz constant, +∞ when none is known
     */
    public static PairwiseLipschitz uniform(double lipschitz) {
        return new PairwiseLipschitz(MarginCertificate.lipschitz(WHERE + ".uniform", lipschitz), null);
    }

    /**
     * Given pairwise constants.
     *
     * @param constants {@code K [classes][classes]}, classes ≥ 2, each off-diagonal entry ≥ 0 (+∞ allowed), the
     *                  diagonal not read; copied
     * @param lipschitz an upper bound of the whole model's Lipschitz constant (reported beside the certificate),
     *                  ≥ 0, +∞ when none is known
     * @throws IllegalArgumentException naming {@code constants} when not square or an entry is NaN or negative
     */
    public static PairwiseLipschitz of(double[][] constants, double lipschitz) {
        String where = WHERE + ".of";
        Messages.notNull(where, "constants", constants);
        MarginCertificate.lipschitz(where, lipschitz);
        int n = constants.length;
        if (n < 2) {
            throw Messages.bad(where, "constants", "a square matrix of at least 2 classes", n + " rows");
        }
        double[][] copy = new double[n][];
        for (int i = 0; i < n; i++) {
            if (constants[i] == null || constants[i].length != n) {
                throw Messages.bad(where, "constants[" + i + "]", n + " entries (a square matrix)",
                        constants[i] == null ? "null" : constants[i].length + " entries");
            }
            copy[i] = constants[i].clone();
            for (int j = 0; j < n; j++) {
                if (i != j && !(copy[i][j] >= 0)) {
                    throw Messages.bad(where, "constants[" + i + "][" + j + "]", "a bound ≥ 0 (+∞ when none is known)",
                            copy[i][j]);
                }
            }
        }
        return new PairwiseLipschitz(lipschitz, copy);
    }

    /** The whole model's bound L. */
    public double lipschitz() {
        return lipschitz;
    }

    /** {@code K_ij} for {@code i ≠ j}: the given constant, or √2·L when uniform. */
    public double constant(int i, int j) {
        return constants == null ? Math.sqrt(2) * lipschitz : constants[i][j];
    }

    /** The largest {@code K_ij}, i ≠ j, over {@code classes} classes. */
    public double largest(int classes) {
        requireClasses(WHERE + ".largest", classes);
        double m = 0;
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                m = i == j ? m : Math.max(m, constant(i, j));
            }
        }
        return m;
    }

    /**
     * Whether row {@code b} of logits {@code [batch, classes]} (row-major) is certified at radius ε:
     * {@code f_y − f_j > ε·K_yj} for every {@code j ≠ y} (right-hand side 0 at ε = 0). In the uniform
     * case this is exactly {@link MarginCertificate#isCertified}.
     *
     * @param epsilon finite, ≥ 0
     */
    public boolean isCertified(double[] logits, int b, int classes, int label, double epsilon) {
        Messages.radius(WHERE + ".isCertified", "epsilon", epsilon);
        if (constants == null) {
            return MarginCertificate.isCertified(Margins.margin(logits, b, classes, label), epsilon, lipschitz);
        }
        int from = b * classes;
        for (int j = 0; j < classes; j++) {
            if (j != label && !(logits[from + label] - logits[from + j] > (epsilon == 0 ? 0 : epsilon
                    * constants[label][j]))) {
                return false;
            }
        }
        return true;
    }

    /** Throws naming {@code where} when the constants are not for {@code classes} classes. */
    void requireClasses(String where, int classes) {
        if (constants != null && constants.length != classes) {
            throw Messages.bad(where, "pairwise constants", "a " + classes + "×" + classes + " matrix (the model's "
                    + "classes)", constants.length + "×" + constants.length);
        }
    }
}
