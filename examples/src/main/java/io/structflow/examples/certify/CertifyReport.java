package io.structflow.examples.certify;

import io.structflow.examples.support.Report;
import io.structflow.examples.support.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code certify} report: one table row per network, and results.json. */
public final class CertifyReport {
    private static final List<String> EPSILON_KEYS = List.of("0", "36/255", "72/255", "108/255", "1.0");

    private CertifyReport() {
    }

    /** The report of {@code results}, run with {@code o}. */
    public static Report of(CertifyExperiment.Options o, List<CertifyExperiment.NetworkResult> results) {
        Table t = new Table("network", "clean", "cert 36/255", "cert 72/255", "cert 108/255", "cert 1.0",
                "PGD 36/255", "PGD 72/255", "PGD 108/255", "PGD 1.0", "L", "max K_ij", "tightness",
                "pair tightness min/median", "s/epoch", "RSS MB");
        for (CertifyExperiment.NetworkResult r : results) {
            CertifyExperiment.Evaluation e = r.evaluation();
            double[] robust = e.attacked().robustAccuracy();
            t.row(r.kind().key(), f(e.attacked().cleanAccuracy()), f(e.certified()[1]), f(e.certified()[2]),
                    f(e.certified()[3]), f(e.certified()[4]), f(robust[1]), f(robust[2]), f(robust[3]), f(robust[4]),
                    String.format(Locale.ROOT, "%.6g", e.lipschitz()), String.format(Locale.ROOT, "%.6g",
                            e.largestPairwise()), String.format(Locale.ROOT, "%.3g", e.tightness()),
                    String.format(Locale.ROOT, "%.3g / %.3g", e.pairTightnessMinAndMedian()[0],
                            e.pairTightnessMinAndMedian()[1]),
                    Double.isNaN(r.epochSeconds()) ? "-" : String.format(Locale.ROOT, "%.1f", r.epochSeconds()),
                    r.residentBytes() >> 20);
        }
        Report report = new Report().line("")
                .line("Certified = f_y - f_j > eps*K_yj for every j != y (K_ij >= Lip(f_i - f_j): sqrt(2)*L for the scaled "
                        + "head, L_body*|w_i - w_j| for the row-normalised one) in float32 and again in float64;")
                .line("PGD = l2-PGD robust accuracy (10 steps of 0.25*eps); tightness = L / largest local Lipschitz lower "
                        + "bound found;")
                .line("pair tightness = K_ij / largest local Lipschitz lower bound of f_i - f_j found, over the 45 pairs:")
                .table(t);
        toJson(o, results).forEach(report::put);
        return report;
    }

    private static Map<String, Object> toJson(CertifyExperiment.Options o, List<CertifyExperiment.NetworkResult> results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "certify");
        m.put("dataset", "fashion-mnist");
        m.put("architecture", o.arch().toMap());
        m.put("head", o.head().key());
        m.put("dense_tail", o.tail().toMap());
        m.put("training", o.settings().toMap(true));
        m.put("training_images", o.trainImages());
        m.put("test_images", o.testImages());
        m.put("epsilons", EPSILON_KEYS);
        Map<String, Object> nets = new LinkedHashMap<>();
        for (CertifyExperiment.NetworkResult r : results) {
            CertifyExperiment.Evaluation e = r.evaluation();
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("label", r.kind().label());
            n.put("parameters", r.parameters());
            n.put("clean_accuracy", e.attacked().cleanAccuracy());
            n.put("certified_accuracy", perEpsilon(e.certified()));
            n.put("certified_accuracy_float32_only", perEpsilon(e.attacked().certifiedAccuracy()));
            n.put("float64_rejections", perEpsilon(e.float64Rejections()));
            n.put("robust_accuracy", perEpsilon(e.attacked().robustAccuracy()));
            n.put("lipschitz_bound", e.lipschitz());
            n.put("lipschitz_bound_float64", e.lipschitz64());
            n.put("largest_pairwise_constant", e.largestPairwise());
            n.put("local_lipschitz_lower_bound", e.localLowerBound());
            n.put("bound_tightness", e.tightness());
            n.put("pair_bound_tightness_min", e.pairTightnessMinAndMedian()[0]);
            n.put("pair_bound_tightness_median", e.pairTightnessMinAndMedian()[1]);
            n.put("pair_bound_tightness", e.pairTightness());
            n.put("epoch_seconds", Double.isNaN(r.epochSeconds()) ? null : r.epochSeconds());
            n.put("resident_bytes", r.residentBytes());
            n.put("epochs_before_this_run", r.training().epochsBefore());
            n.put("train_losses_this_run", r.training().losses());
            n.put("eval_seconds", e.seconds());
            nets.put(r.kind().key(), n);
        }
        m.put("networks", nets);
        return m;
    }

    private static Map<String, Object> perEpsilon(double[] v) {
        return perEpsilon(java.util.Arrays.stream(v).boxed().toArray());
    }

    private static Map<String, Object> perEpsilon(int[] v) {
        return perEpsilon(java.util.Arrays.stream(v).boxed().toArray());
    }

    /** One entry per radius of {@link CertifyExperiment#EPSILONS}, keyed as the issue writes them. */
    private static Map<String, Object> perEpsilon(Object[] v) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < v.length; k++) {
            m.put(EPSILON_KEYS.get(k), v[k]);
        }
        return m;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
