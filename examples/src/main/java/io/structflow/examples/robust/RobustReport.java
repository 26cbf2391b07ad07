package io.structflow.examples.robust;

import io.structflow.examples.support.Report;
import io.structflow.examples.support.Table;
import io.structflow.layers.models.NetworkKind;
import io.structflow.robustness.RobustnessReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The robustness experiment's report: the summary and per-ε tables, the findings of [CMOSS] §3.3
 * checked on the numbers, results.json and the accuracy and learned-step figures (Fig. 4 and 5).
 */
public final class RobustReport {
    private RobustReport() {
    }

    /** The report of {@code results}, run with {@code o}. */
    public static Report of(RobustRun.Options o, List<RobustRun.NetworkResult> results) {
        Map<String, Object> quality = qualityBars(results);
        Report report = new Report().line("")
                .line("Summary ('paper' = PGD step 0.025*eps as in the paper/Foolbox; 'strong' = step 0.25*eps; "
                        + "certified = margin > sqrt(2)*eps*Lip):")
                .table(summary(results, o.epsilons())).line("")
                .line("Accuracy per epsilon (robust paper step / robust strong step / certified):")
                .table(perEpsilon(results, o.epsilons())).line("")
                .line("Findings of [CMOSS] §3.3 on these numbers (null: a network it needs was not run): " + quality);
        toJson(o, results, quality).forEach(report::put);
        return report.figure(dir -> figures(o, results, dir));
    }

    /** The summary table: one row per network. */
    static Table summary(List<RobustRun.NetworkResult> results, double[] epsilons) {
        int k01 = indexOf(epsilons, 0.1);
        String at = k01 >= 0 ? "0.1" : String.valueOf(epsilons[1]);
        int k = k01 >= 0 ? k01 : 1;
        int last = epsilons.length - 1;
        Table t = new Table("network", "clean", "Lip bound", "AUC paper", "AUC strong", "AUC certified",
                "cert@" + at, "robust@" + at + " paper/strong", "robust@" + epsilons[last] + " paper/strong");
        for (RobustRun.NetworkResult r : results) {
            RobustnessReport p = r.evaluation().paper();
            RobustnessReport s = r.evaluation().strong();
            t.row(r.kind().key(), f(p.cleanAccuracy()), String.format(Locale.ROOT, "%.4g", r.evaluation().lipschitz()),
                    f(p.robustAuc()), f(s.robustAuc()), f(p.certifiedAuc()), f(p.certifiedAccuracy()[k]),
                    f(p.robustAccuracy()[k]) + " / " + f(s.robustAccuracy()[k]),
                    f(p.robustAccuracy()[last]) + " / " + f(s.robustAccuracy()[last]));
        }
        return t;
    }

    /** Per-ε table: for each network robust (paper step), robust (strong step) and certified accuracy. */
    static Table perEpsilon(List<RobustRun.NetworkResult> results, double[] epsilons) {
        List<String> header = new ArrayList<>(List.of("epsilon"));
        for (RobustRun.NetworkResult r : results) {
            header.add(r.kind().key() + " paper/strong/cert");
        }
        Table t = new Table(header.toArray(new String[0]));
        for (int k = 0; k < epsilons.length; k++) {
            List<Object> row = new ArrayList<>(List.of(String.valueOf(epsilons[k])));
            for (RobustRun.NetworkResult r : results) {
                row.add(f(r.evaluation().paper().robustAccuracy()[k]) + " / " + f(r.evaluation().strong().robustAccuracy()[k])
                        + " / " + f(r.evaluation().paper().certifiedAccuracy()[k]));
            }
            t.row(row.toArray());
        }
        return t;
    }

    /**
     * results.json: settings, the ε grid, the attacks, and per network {@code clean_accuracy},
     * {@code auc} (robust accuracy, paper step), {@code auc_strong}, {@code certified_auc},
     * {@code lipschitz_bound}, per ε {@code robust_accuracy} (paper step),
     * {@code robust_accuracy_strong} and {@code certified_accuracy}, training time and losses,
     * and the learned steps of the switching networks.
     */
    static Map<String, Object> toJson(RobustRun.Options o, List<RobustRun.NetworkResult> results, Map<String, Object> quality) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "robust");
        m.put("dataset", "fashion-mnist");
        m.put("architecture", o.arch().toMap());
        m.put("training", o.settings().toMap(true));
        m.put("training_images", o.trainImages());
        m.put("test_images", o.testImages());
        m.put("epsilons", list(o.epsilons()));
        Map<String, Object> attacks = new LinkedHashMap<>();
        attacks.put("robust_accuracy", RobustExperiment.attack(RobustExperiment.PAPER_STEP, o.settings().seed())
                .config().toMap());
        attacks.put("robust_accuracy_strong", RobustExperiment.attack(RobustExperiment.STRONG_STEP, o.settings().seed())
                .config().toMap());
        m.put("attacks", attacks);
        m.put("auc_definition", "trapezoid rule over the epsilon grid divided by its range; 'auc' is the robust "
                + "accuracy under PGD with the paper's step 0.025*eps, 'auc_strong' with 0.25*eps");
        Map<String, Object> nets = new LinkedHashMap<>();
        for (RobustRun.NetworkResult r : results) {
            Map<String, Object> n = new LinkedHashMap<>();
            RobustnessReport p = r.evaluation().paper();
            RobustnessReport s = r.evaluation().strong();
            n.put("label", r.kind().label());
            n.put("parameters", r.parameters());
            n.put("learning_rate", o.settingsFor(r.kind()).learningRate());
            n.put("clean_accuracy", p.cleanAccuracy());
            n.put("auc", p.robustAuc());
            n.put("auc_strong", s.robustAuc());
            n.put("certified_auc", p.certifiedAuc());
            n.put("lipschitz_bound", Double.isFinite(r.evaluation().lipschitz()) ? r.evaluation().lipschitz() : null);
            n.put("robust_accuracy", list(p.robustAccuracy()));
            n.put("robust_accuracy_strong", list(s.robustAccuracy()));
            n.put("certified_accuracy", list(p.certifiedAccuracy()));
            n.put("epochs_before_this_run", r.training().epochsBefore());
            n.put("epochs_trained_this_run", r.training().epochs().size());
            n.put("train_losses_this_run", list(r.training().losses()));
            n.put("train_seconds_this_run", r.training().seconds());
            n.put("eval_seconds", r.evaluation().seconds());
            if (r.learnedSteps() != null) {
                List<List<Double>> steps = new ArrayList<>();
                for (double[] h : r.learnedSteps()) {
                    steps.add(list(h));
                }
                n.put("learned_steps", steps);
            }
            nets.put(r.kind().key(), n);
        }
        m.put("networks", nets);
        m.put("quality_bars", quality);
        return m;
    }

    /**
     * The two findings of [CMOSS] §3.3 checked on these numbers (each entry null when a network it
     * needs was not run): the dynamical-systems networks have a higher AUC than the naive
     * constrained and the unconstrained ResNet; alternating expansive layers (prescribed, flexible)
     * beat non-expansive only on the clean/robust trade-off (higher clean accuracy and higher AUC).
     */
    static Map<String, Object> qualityBars(List<RobustRun.NetworkResult> results) {
        Map<NetworkKind, RobustRun.NetworkResult> by = new LinkedHashMap<>();
        for (RobustRun.NetworkResult r : results) {
            by.put(r.kind(), r);
        }
        Map<String, Object> q = new LinkedHashMap<>();
        for (String attack : List.of("paper", "strong")) {
            Boolean higher = null;
            Boolean tradeOff = null;
            List<NetworkKind> dyn = List.of(NetworkKind.PRESCRIBED, NetworkKind.FLEXIBLE, NetworkKind.NON_EXPANSIVE);
            List<NetworkKind> ref = List.of(NetworkKind.NAIVE, NetworkKind.RESNET);
            double minDyn = Double.POSITIVE_INFINITY;
            double maxRef = Double.NEGATIVE_INFINITY;
            for (NetworkKind k : dyn) {
                if (by.containsKey(k)) {
                    minDyn = Math.min(minDyn, auc(by.get(k), attack));
                }
            }
            for (NetworkKind k : ref) {
                if (by.containsKey(k)) {
                    maxRef = Math.max(maxRef, auc(by.get(k), attack));
                }
            }
            if (Double.isFinite(minDyn) && Double.isFinite(maxRef)) {
                higher = minDyn > maxRef;
            }
            RobustRun.NetworkResult ne = by.get(NetworkKind.NON_EXPANSIVE);
            if (ne != null && (by.containsKey(NetworkKind.PRESCRIBED) || by.containsKey(NetworkKind.FLEXIBLE))) {
                tradeOff = true;
                for (NetworkKind k : List.of(NetworkKind.PRESCRIBED, NetworkKind.FLEXIBLE)) {
                    RobustRun.NetworkResult r = by.get(k);
                    if (r != null) {
                        tradeOff &= r.evaluation().paper().cleanAccuracy() > ne.evaluation().paper().cleanAccuracy()
                                && auc(r, attack) > auc(ne, attack);
                    }
                }
            }
            q.put("dynamical_auc_above_resnets_" + attack + "_step", higher);
            q.put("switching_beats_non_expansive_" + attack + "_step", tradeOff);
        }
        return q;
    }

    private static double auc(RobustRun.NetworkResult r, String attack) {
        return attack.equals("paper") ? r.evaluation().paper().robustAuc() : r.evaluation().strong().robustAuc();
    }

    /** Writes the accuracy plots and the flexible network's learned steps into {@code dir}. */
    private static List<Path> figures(RobustRun.Options o, List<RobustRun.NetworkResult> results, Path dir) throws IOException {
        List<NetworkKind> kinds = results.stream().map(RobustRun.NetworkResult::kind).toList();
        Map<NetworkKind, RobustRun.NetworkResult> by = new LinkedHashMap<>();
        results.forEach(r -> by.put(r.kind(), r));
        List<Path> files = new ArrayList<>();
        String sub = String.format(Locale.ROOT, " (%d test images)", o.testImages());
        files.add(RobustFigures.accuracyPlot("Robust accuracy, l2-PGD 10 steps of 0.025*eps (paper)" + sub,
                o.epsilons(), RobustFigures.collect(kinds, k -> by.get(k).evaluation().paper().robustAccuracy()),
                RobustFigures.collect(kinds, k -> by.get(k).evaluation().paper().robustAuc()), dir,
                "accuracy_vs_epsilon"));
        files.add(RobustFigures.accuracyPlot("Robust accuracy, l2-PGD 10 steps of 0.25*eps (strong)" + sub,
                o.epsilons(), RobustFigures.collect(kinds, k -> by.get(k).evaluation().strong().robustAccuracy()),
                RobustFigures.collect(kinds, k -> by.get(k).evaluation().strong().robustAuc()), dir,
                "accuracy_vs_epsilon_strong"));
        files.add(RobustFigures.accuracyPlot("Certified accuracy, margin > sqrt(2)*eps*Lip (3.1)" + sub,
                o.epsilons(), RobustFigures.collect(kinds, k -> by.get(k).evaluation().paper().certifiedAccuracy()),
                RobustFigures.collect(kinds, k -> by.get(k).evaluation().paper().certifiedAuc()), dir,
                "certified_accuracy"));
        RobustRun.NetworkResult flex = by.get(NetworkKind.FLEXIBLE);
        if (flex != null) {
            files.add(RobustFigures.stepsPlot(flex.learnedSteps(), o.arch().pairs(), dir, "flexible_steps"));
        }
        return files;
    }

    private static int indexOf(double[] values, double v) {
        for (int i = 0; i < values.length; i++) {
            if (Math.abs(values[i] - v) < 1e-9) {
                return i;
            }
        }
        return -1;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static List<Double> list(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
