package io.structflow.examples.planar;

/**
 * The three families of residual networks of [CMOSS] §1.1, Table 1 and Fig. 1, each ten explicit
 * Euler steps of gradient fields {@code ±Aᵀσ(Ax + b)} with orthogonal A:
 * <ul>
 *   <li>{@link #ALTERNATING} ({@code F ∪ F_c}): contractive/expansive pairs with (h₁, h₂) in the
 *       non-expansive region R of (3.10) (S sub-steps), 1-Lipschitz;</li>
 *   <li>{@link #EXPANSIVE} ({@code F}): only expansive steps {@code x + hAᵀσ(Ax + b)}, h ≥ 0 (3.7),
 *       not 1-Lipschitz;</li>
 *   <li>{@link #CONTRACTIVE} ({@code F_c}): only contractive steps {@code x − hAᵀσ(Ax + b)} with
 *       {@code 0 ≤ h ≤ 2 = 2/‖A‖²} (3.5), 1-Lipschitz.</li>
 * </ul>
 * Each carries the paper's Table 1 figures (median test accuracy and median final time over 100
 * runs).
 */
public enum Family {
    /** {@code F ∪ F_c}: alternating contractive and expansive layers, steps in R. */
    ALTERNATING("alternating", "F ∪ F_c", 0.980, 1.84, true),
    /** {@code F}: expansive layers only. */
    EXPANSIVE("expansive", "F", 0.990, 7.53, false),
    /** {@code F_c}: contractive layers only, steps in [0, 2]. */
    CONTRACTIVE("contractive", "F_c", 0.973, 19.82, true);

    private final String key;
    private final String symbol;
    private final double paperAccuracy;
    private final double paperFinalTime;
    private final boolean lipschitzOne;

    Family(String key, String symbol, double paperAccuracy, double paperFinalTime, boolean lipschitzOne) {
        this.key = key;
        this.symbol = symbol;
        this.paperAccuracy = paperAccuracy;
        this.paperFinalTime = paperFinalTime;
        this.lipschitzOne = lipschitzOne;
    }

    /** The name used on the command line and in results.json. */
    public String key() {
        return key;
    }

    /** The paper's symbol for the family ({@code F ∪ F_c}, {@code F}, {@code F_c}). */
    public String symbol() {
        return symbol;
    }

    /** Median test accuracy in [CMOSS] Table 1, in [0, 1]. */
    public double paperAccuracy() {
        return paperAccuracy;
    }

    /** Median final time {@code T = Σ|hᵢ|} in [CMOSS] Table 1. */
    public double paperFinalTime() {
        return paperFinalTime;
    }

    /** Whether the dynamical part is 1-Lipschitz by construction. */
    public boolean lipschitzOne() {
        return lipschitzOne;
    }

    /**
     * The family named {@code key}.
     *
     * @throws IllegalArgumentException naming the accepted keys
     */
    public static Family of(String key) {
        for (Family f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--families: expected alternating, expansive or contractive but got '" + key + "'");
    }
}
