package io.structflow.robustness;

import io.structflow.core.autodiff.Tensor;

/**
 * Lipschitz-margin certificates, [CMOSS] (3.1) after Tsuzuku, Sato and Sugiyama: if the logit
 * map {@code f} is {@code L}-Lipschitz in the Euclidean norm, a sample {@code (x, y)} whose
 * margin
 * <pre>
 *   M_f(x) = f(x)_y − max_{j≠y} f(x)_j  &gt;  √2 · ε · L
 * </pre>
 * keeps its label under every perturbation with {@code ‖δ‖₂ ≤ ε}: each difference
 * {@code f_y − f_j} is {@code √2 L}-Lipschitz, so none can change sign. A positive margin means
 * the sample is correctly classified, so the inequality alone is the test; at ε = 0 it reads
 * {@code M > 0} (a tie with the runner-up is never certified). The certified radius
 * {@code max(M, 0) / (√2 L)} is the supremum of the ε certified.
 *
 * <p>{@code L} is any upper bound of the Lipschitz constant of the whole model (the layers'
 * {@code Lipschitz.bound(model)} supplies one); {@code L = +∞} (no bound known) certifies
 * nothing at ε &gt; 0. Certified accuracy never exceeds the true robust accuracy, hence never
 * the robust accuracy an attack measures.
 *
 * <p>Reference: Y. Tsuzuku, I. Sato, M. Sugiyama, <i>Lipschitz-margin training: scalable
 * certification of perturbation invariance for deep neural networks</i>, NeurIPS 2018,
 * arXiv:1802.04034; [CMOSS] arXiv:2210.02373, (3.1).
 */
public final class MarginCertificate {
    private static final String WHERE = "MarginCertificate";

    private MarginCertificate() {
    }

    /**
     * Margins {@code f(x)_y − max_{j≠y} f(x)_j} of a batch of logits.
     *
     * @param logits {@code [batch, classes]}, classes ≥ 2, finite
     * @param labels {@code int[batch]}, each in {@code [0, classes)}
     * @return one margin per sample (negative when misclassified)
     */
    public static double[] margins(Tensor logits, int[] labels) {
        String where = WHERE + ".margins";
        Messages.notNull(where, "logits", logits);
        Messages.notNull(where, "labels", labels);
        int classes = Messages.classes(where, "logits", logits, labels.length);
        Messages.labels(where, labels, classes);
        double[] s = logits.toDoubleArray();
        Margins.requireFinite(where, s, classes);
        double[] m = new double[labels.length];
        for (int b = 0; b < m.length; b++) {
            m[b] = Margins.margin(s, b, classes, labels[b]);
        }
        return m;
    }

    /**
     * Whether a sample of the given margin is certified at radius ε: {@code margin > √2·ε·L}
     * (with the right-hand side 0 at ε = 0, also for L = +∞).
     *
     * @param margin    {@code f(x)_y − max_{j≠y} f(x)_j}
     * @param epsilon   finite, ≥ 0
     * @param lipschitz upper bound of the model's ℓ2 Lipschitz constant, ≥ 0, possibly +∞
     */
    public static boolean isCertified(double margin, double epsilon, double lipschitz) {
        Messages.radius(WHERE + ".isCertified", "epsilon", epsilon);
        lipschitz(WHERE + ".isCertified", lipschitz);
        return margin > threshold(epsilon, lipschitz);
    }

    /** The certified radius {@code max(margin, 0) / (√2 L)} (+∞ for L = 0 and a positive margin). */
    public static double radius(double margin, double lipschitz) {
        lipschitz(WHERE + ".radius", lipschitz);
        if (!(margin > 0)) {
            return 0;
        }
        return lipschitz == 0 ? Double.POSITIVE_INFINITY : margin / (Math.sqrt(2) * lipschitz);
    }

    /**
     * Certified accuracy at each radius: the fraction of samples with {@code margin > √2·ε·L}.
     *
     * @param margins   one margin per sample, at least one
     * @param epsilons  radii, each finite and ≥ 0 (any order)
     * @param lipschitz upper bound of the model's ℓ2 Lipschitz constant, ≥ 0, possibly +∞
     */
    public static double[] certifiedAccuracy(double[] margins, double[] epsilons, double lipschitz) {
        String where = WHERE + ".certifiedAccuracy";
        Messages.notNull(where, "margins", margins);
        Messages.notNull(where, "epsilons", epsilons);
        if (margins.length == 0) {
            throw Messages.bad(where, "margins", "at least one sample", "none");
        }
        lipschitz(where, lipschitz);
        double[] out = new double[epsilons.length];
        for (int k = 0; k < epsilons.length; k++) {
            double t = threshold(Messages.radius(where, "epsilons[" + k + "]", epsilons[k]), lipschitz);
            int n = 0;
            for (double m : margins) {
                n += m > t ? 1 : 0;
            }
            out[k] = n / (double) margins.length;
        }
        return out;
    }

    static double lipschitz(String where, double lipschitz) {
        if (!(lipschitz >= 0)) {
            throw Messages.bad(where, "lipschitz", "an upper bound ≥ 0 (+∞ when none is known)", lipschitz);
        }
        return lipschitz;
    }

    private static double threshold(double epsilon, double lipschitz) {
        return epsilon == 0 ? 0 : Math.sqrt(2) * epsilon * lipschitz;
    }
}
