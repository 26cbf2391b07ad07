package io.structflow.examples.robust;

import io.structflow.core.data.Dataset;
import io.structflow.core.data.FashionMnist;
import io.structflow.core.io.AtomicFiles;
import io.structflow.core.train.Checkpoint;
import io.structflow.examples.support.Results;
import io.structflow.examples.support.Table;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.RobustNetworks;
import io.structflow.robustness.RobustnessReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole robustness experiment of [CMOSS] §3.3 on Fashion-MNIST: for each chosen network,
 * train (or resume, or load) it, evaluate it (clean, PGD robust with two steps, certified
 * accuracy, AUCs, Lipschitz bound), then print a table and write {@code results.json} and the
 * figures.
 */
public final class RobustRun {
    private RobustRun() {
    }

    /**
     * Everything a run needs.
     *
     * @param dataDir      Fashion-MNIST directory
     * @param out          output directory; each network trains in {@code out/<network>}
     * @param networks     the networks, in order
     * @param arch         the architecture shared by all networks
     * @param settings     training settings
     * @param resnetLearningRate η₀ of the unconstrained ResNet, which diverges at the rate the constrained
     *                     networks train with (the others use {@code settings.learningRate()})
     * @param trainImages  training images used (0: all 60 000)
     * @param testImages   fixed test images evaluated (the first ones of the test set)
     * @param epsilons     radii, strictly increasing from 0
     * @param attackBatch  images per attack batch
     * @param fresh        delete existing checkpoints first
     * @param progress     show progress bars
     */
    public record Options(Path dataDir, Path out, List<NetworkKind> networks, Architecture arch,
                          TrainingSettings settings, double resnetLearningRate, int trainImages, int testImages,
                          double[] epsilons, int attackBatch, boolean fresh, boolean progress) {
        /** Validates what the records it holds do not. */
        public Options {
            if (!(resnetLearningRate > 0) || !Double.isFinite(resnetLearningRate)) {
                throw new IllegalArgumentException("--resnet-lr: expected a finite rate > 0 but got " + resnetLearningRate);
            }
            if (networks == null || networks.isEmpty()) {
                throw new IllegalArgumentException("--networks: expected at least one network but got none");
            }
            if (trainImages < 0) {
                throw new IllegalArgumentException("--train-images: expected ≥ 0 (0: all) but got " + trainImages);
            }
            if (attackBatch < 1) {
                throw new IllegalArgumentException("--attack-batch: expected ≥ 1 but got " + attackBatch);
            }
        }

        /** The training settings of network {@code kind}: the ResNet's learning rate is its own. */
        public TrainingSettings settingsFor(NetworkKind kind) {
            return kind == NetworkKind.RESNET ? settings.withLearningRate(resnetLearningRate) : settings;
        }
    }

    /** The measured numbers of one network. */
    public record NetworkResult(NetworkKind kind, long parameters, RobustExperiment.TrainingOutcome training,
                                RobustExperiment.Evaluation evaluation, double[][] learnedSteps) {
    }

    /**
     * Runs the experiment, printing progress and the tables on {@code log}.
     *
     * @return one result per network, in the order asked
     * @throws java.nio.file.NoSuchFileException if the data are missing (the message says how to install them)
     */
    public static List<NetworkResult> run(Options o, PrintStream log) throws IOException {
        FashionMnist data = FashionMnist.load(o.dataDir());
        Dataset train = data.trainingSet(o.trainImages(), o.arch().type());
        RobustExperiment.Images test = RobustExperiment.testSet(data, o.testImages(), o.arch().type());
        log.printf("Fashion-MNIST: %d training images, %d fixed test images; %s%n", train.size(), test.size(), o.arch());
        List<NetworkResult> results = new ArrayList<>();
        for (NetworkKind kind : o.networks()) {
            Path dir = o.out().resolve(kind.key());
            if (o.fresh()) {
                Files.deleteIfExists(dir.resolve(Checkpoint.FILE_NAME));
                AtomicFiles.deleteTemporaries(dir.resolve(Checkpoint.FILE_NAME));
            }
            RobustNetworks.Network net = RobustNetworks.build(kind, o.arch(), FashionMnist.NUM_CLASSES);
            log.printf("%n== %s: %d parameters, checkpoints in %s%n", kind.label(), net.model().parameterCount(), dir);
            RobustExperiment.TrainingOutcome t = RobustExperiment.train(net, o.arch(), train, o.settingsFor(kind), dir,
                    o.progress());
            if (t.epochsBefore() > 0) {
                log.printf("resumed from the checkpoint after epoch %d%n", t.epochsBefore());
            }
            for (var e : t.epochs()) {
                log.printf(Locale.ROOT, "epoch %d: loss %.4f (lr %.4g)%n", e.epoch() + 1, e.loss(), e.metrics().get("lr"));
            }
            log.printf(Locale.ROOT, "trained %d epoch(s) in %.1f s; evaluating on %d images…%n", t.epochs().size(),
                    t.seconds(), test.size());
            RobustExperiment.Evaluation ev = RobustExperiment.evaluate(net, test, o.epsilons(), o.attackBatch(),
                    o.settings().seed());
            log.printf(Locale.ROOT, "clean %.4f, Lipschitz bound %.4g, AUC %.4f (paper step) / %.4f (strong step), "
                            + "certified AUC %.4f; evaluation %.1f s%n", ev.paper().cleanAccuracy(), ev.lipschitz(),
                    ev.paper().robustAuc(), ev.strong().robustAuc(), ev.paper().certifiedAuc(), ev.seconds());
            results.add(new NetworkResult(kind, net.model().parameterCount(), t, ev,
                    kind == NetworkKind.FLEXIBLE || kind == NetworkKind.PRESCRIBED ? net.learnedSteps() : null));
        }
        return results;
    }

    /** The summary table: one row per network. */
    public static Table summary(List<NetworkResult> results, double[] epsilons) {
        int k01 = indexOf(epsilons, 0.1);
        String at = k01 >= 0 ? "0.1" : String.valueOf(epsilons[1]);
        int k = k01 >= 0 ? k01 : 1;
        int last = epsilons.length - 1;
        Table t = new Table("network", "clean", "Lip bound", "AUC paper", "AUC strong", "AUC certified",
                "cert@" + at, "robust@" + at + " paper/strong", "robust@" + epsilons[last] + " paper/strong");
        for (NetworkResult r : results) {
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
    public static Table perEpsilon(List<NetworkResult> results, double[] epsilons) {
        List<String> header = new ArrayList<>(List.of("epsilon"));
        for (NetworkResult r : results) {
            header.add(r.kind().key() + " paper/strong/cert");
        }
        Table t = new Table(header.toArray(new String[0]));
        for (int k = 0; k < epsilons.length; k++) {
            List<Object> row = new ArrayList<>(List.of(String.valueOf(epsilons[k])));
            for (NetworkResult r : results) {
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
    public static Map<String, Object> toJson(Options o, List<NetworkResult> results, Map<String, Object> quality) {
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
        for (NetworkResult r : results) {
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
    public static Map<String, Object> qualityBars(List<NetworkResult> results) {
        Map<NetworkKind, NetworkResult> by = new LinkedHashMap<>();
        for (NetworkResult r : results) {
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
            NetworkResult ne = by.get(NetworkKind.NON_EXPANSIVE);
            if (ne != null && (by.containsKey(NetworkKind.PRESCRIBED) || by.containsKey(NetworkKind.FLEXIBLE))) {
                tradeOff = true;
                for (NetworkKind k : List.of(NetworkKind.PRESCRIBED, NetworkKind.FLEXIBLE)) {
                    NetworkResult r = by.get(k);
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

    private static double auc(NetworkResult r, String attack) {
        return attack.equals("paper") ? r.evaluation().paper().robustAuc() : r.evaluation().strong().robustAuc();
    }

    /** Writes results.json and the figures into {@code o.out()}; returns the PNG files written. */
    public static List<Path> write(Options o, List<NetworkResult> results, Map<String, Object> quality)
            throws IOException {
        Results.write(o.out(), toJson(o, results, quality));
        List<NetworkKind> kinds = results.stream().map(NetworkResult::kind).toList();
        Map<NetworkKind, NetworkResult> by = new LinkedHashMap<>();
        results.forEach(r -> by.put(r.kind(), r));
        List<Path> files = new ArrayList<>();
        String sub = String.format(Locale.ROOT, " (%d test images)", o.testImages());
        files.add(RobustFigures.accuracyPlot("Robust accuracy, l2-PGD 10 steps of 0.025*eps (paper)" + sub,
                o.epsilons(), RobustFigures.collect(kinds, k -> by.get(k).evaluation().paper().robustAccuracy()),
                RobustFigures.collect(kinds, k -> by.get(k).evaluation().paper().robustAuc()), o.out(),
                "accuracy_vs_epsilon"));
        files.add(RobustFigures.accuracyPlot("Robust accuracy, l2-PGD 10 steps of 0.25*eps (strong)" + sub,
                o.epsilons(), RobustFigures.collect(kinds, k -> by.get(k).evaluation().strong().robustAccuracy()),
                RobustFigures.collect(kinds, k -> by.get(k).evaluation().strong().robustAuc()), o.out(),
                "accuracy_vs_epsilon_strong"));
        files.add(RobustFigures.accuracyPlot("Certified accuracy, margin > sqrt(2)*eps*Lip (3.1)" + sub,
                o.epsilons(), RobustFigures.collect(kinds, k -> by.get(k).evaluation().paper().certifiedAccuracy()),
                RobustFigures.collect(kinds, k -> by.get(k).evaluation().paper().certifiedAuc()), o.out(),
                "certified_accuracy"));
        NetworkResult flex = by.get(NetworkKind.FLEXIBLE);
        if (flex != null) {
            files.add(RobustFigures.stepsPlot(flex.learnedSteps(), o.arch().pairs(), o.out(), "flexible_steps"));
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
