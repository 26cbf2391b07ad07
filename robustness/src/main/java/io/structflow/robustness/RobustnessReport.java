package io.structflow.robustness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Robustness of a classifier on a labelled data set, [CMOSS] §3.3: clean accuracy, and over a
 * grid of radii {@code ε₀ < … < ε_K} the accuracy under the ℓ2 attack ({@link PgdL2}) and the
 * accuracy certified by the margin test (3.1) ({@link MarginCertificate}).
 *
 * <p>The area under a curve {@code a(ε)} is the trapezoid rule over the grid divided by the
 * length of the grid's range,
 * <pre>
 *   AUC = (1 / (ε_K − ε₀)) · Σ_{k=0}^{K−1} (ε_{k+1} − ε_k) · (a_k + a_{k+1}) / 2,
 * </pre>
 * the mean of the piecewise-linear interpolant over {@code [ε₀, ε_K]} (over {@code [0, ε_K]}
 * when the grid starts at 0, as it should to include the clean accuracy). It lies in [0, 1]; a
 * curve at 1 everywhere has AUC 1. For a one-point grid it is the accuracy at that point.
 *
 * @param samples           number of labelled samples evaluated, ≥ 1
 * @param cleanAccuracy     fraction classified correctly without perturbation
 * @param epsilons          the radii, strictly increasing, each finite and ≥ 0
 * @param robustAccuracy    per radius, the fraction still correct after the attack (an upper
 *                          bound of the true robust accuracy)
 * @param certifiedAccuracy per radius, the fraction with {@code margin > √2·ε·L} (a lower bound)
 * @param lipschitzBound    the Lipschitz bound L used for the certificates (+∞: none)
 * @param attack            the attack's hyper-parameters
 */
public record RobustnessReport(int samples, double cleanAccuracy, double[] epsilons, double[] robustAccuracy,
                               double[] certifiedAccuracy, double lipschitzBound, PgdL2.Config attack) {
    private static final String WHERE = "RobustnessReport";

    public RobustnessReport {
        Messages.atLeast(WHERE, "samples", 1, samples);
        fraction("cleanAccuracy", cleanAccuracy);
        epsilons = Messages.grid(WHERE, epsilons);
        robustAccuracy = curve("robustAccuracy", robustAccuracy, epsilons.length);
        certifiedAccuracy = curve("certifiedAccuracy", certifiedAccuracy, epsilons.length);
        MarginCertificate.lipschitz(WHERE, lipschitzBound);
        Messages.notNull(WHERE, "attack", attack);
    }

    @Override
    public double[] epsilons() {
        return epsilons.clone();
    }

    @Override
    public double[] robustAccuracy() {
        return robustAccuracy.clone();
    }

    @Override
    public double[] certifiedAccuracy() {
        return certifiedAccuracy.clone();
    }

    /** Area under the robust-accuracy curve, normalised by the ε range (see the class comment). */
    public double robustAuc() {
        return areaUnderCurve(epsilons, robustAccuracy);
    }

    /** Area under the certified-accuracy curve, normalised by the ε range. */
    public double certifiedAuc() {
        return areaUnderCurve(epsilons, certifiedAccuracy);
    }

    /**
     * The normalised trapezoid area {@code (1/(ε_K − ε₀)) Σ (ε_{k+1} − ε_k)(a_k + a_{k+1})/2}; for
     * one point, {@code a₀}.
     *
     * @param epsilons strictly increasing radii, each finite and ≥ 0, at least one
     * @param accuracy one finite value per radius
     */
    public static double areaUnderCurve(double[] epsilons, double[] accuracy) {
        String where = "RobustnessReport.areaUnderCurve";
        double[] e = Messages.grid(where, epsilons);
        Messages.notNull(where, "accuracy", accuracy);
        if (accuracy.length != e.length) {
            throw Messages.bad(where, "accuracy", "one value per radius (" + e.length + ")", accuracy.length + " values");
        }
        for (int k = 0; k < accuracy.length; k++) {
            if (!Double.isFinite(accuracy[k])) {
                throw Messages.bad(where, "accuracy[" + k + "]", "a finite value", accuracy[k]);
            }
        }
        if (e.length == 1) {
            return accuracy[0];
        }
        double area = 0;
        for (int k = 0; k + 1 < e.length; k++) {
            area += (e[k + 1] - e[k]) * (accuracy[k] + accuracy[k + 1]) / 2;
        }
        return area / (e[e.length - 1] - e[0]);
    }

    /**
     * snake_case entries for a results file (Jackson serialises the map as it is):
     * {@code samples, clean_accuracy, epsilons, robust_accuracy, certified_accuracy, robust_auc,
     * certified_auc, auc_definition, lipschitz_bound} (null when +∞) and {@code attack} (see
     * {@link PgdL2.Config#toMap()}).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        m.put("clean_accuracy", cleanAccuracy);
        m.put("epsilons", list(epsilons));
        m.put("robust_accuracy", list(robustAccuracy));
        m.put("certified_accuracy", list(certifiedAccuracy));
        m.put("robust_auc", robustAuc());
        m.put("certified_auc", certifiedAuc());
        m.put("auc_definition", "trapezoid rule over the epsilon grid divided by (max epsilon - min epsilon)");
        m.put("lipschitz_bound", Double.isFinite(lipschitzBound) ? lipschitzBound : null);
        m.put("attack", attack.toMap());
        return m;
    }

    /** An aligned table: ε, robust accuracy, certified accuracy; then clean accuracy and the AUCs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%10s  %9s  %9s%n", "epsilon", "robust", "certified"));
        for (int k = 0; k < epsilons.length; k++) {
            sb.append(String.format(Locale.ROOT, "%10.4f  %9.4f  %9.4f%n", epsilons[k], robustAccuracy[k],
                    certifiedAccuracy[k]));
        }
        sb.append(String.format(Locale.ROOT, "clean accuracy %.4f on %d samples; AUC robust %.4f, certified %.4f; "
                + "Lipschitz bound %s; PGD-l2 %d steps of %s*eps, %d run(s), %s loss%n", cleanAccuracy, samples,
                robustAuc(), certifiedAuc(), lipschitzBound, attack.steps(), attack.relativeStepSize(),
                attack.restarts(), attack.loss().key()));
        return sb.toString();
    }

    private static List<Double> list(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    private static void fraction(String argument, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw Messages.bad(WHERE, argument, "a fraction in [0, 1]", v);
        }
    }

    private static double[] curve(String argument, double[] values, int length) {
        Messages.notNull(WHERE, argument, values);
        if (values.length != length) {
            throw Messages.bad(WHERE, argument, "one value per radius (" + length + ")", values.length + " values");
        }
        for (int k = 0; k < length; k++) {
            fraction(argument + "[" + k + "]", values[k]);
        }
        return values.clone();
    }
}
