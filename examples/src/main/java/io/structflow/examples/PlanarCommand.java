package io.structflow.examples;

import io.structflow.layers.models.Family;
import io.structflow.examples.planar.FamilySummary;
import io.structflow.examples.planar.PlanarExperiment;
import io.structflow.examples.planar.PlanarPlots;
import io.structflow.examples.planar.PlanarSet;
import io.structflow.examples.planar.RunResult;
import io.structflow.examples.planar.Settings;
import io.structflow.examples.support.DataTypeConverter;
import io.structflow.examples.support.Plots;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.Results;
import io.structflow.examples.support.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * [CMOSS] §1.1 and Table 1: planar binary classification by ten 1-Lipschitz (or expansive)
 * residual layers of three families; prints the median test accuracy and the median final time
 * {@code T = Σ|hᵢ|} of each family beside the paper's, writes results.json, decision-region plots
 * and the learned step lengths per layer (Fig. 1a).
 */
@Command(name = "planar", mixinStandardHelpOptions = true,
        description = {"[CMOSS] §1.1 / Table 1: alternating contractive/expansive (F ∪ F_c), expansive (F) and "
                + "contractive (F_c) residual networks on a planar two-class set; median test accuracy and final "
                + "time T = Σ|h| over seeded runs, next to the paper's.",
                "Default: a quick protocol (runs and epochs reduced); --full runs the paper's 100 seeds × 300 epochs."})
final class PlanarCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "disc",
            description = "disc (Table 1's substitute: Halton points, label 1 inside r = 1/√2), rings, spirals, moons"
                    + " (default ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--families", split = ",", defaultValue = "alternating,expansive,contractive",
            description = "comma-separated families to train (default ${DEFAULT-VALUE})")
    List<String> families;

    @Option(names = "--runs", description = "seeds per family (default 3; 100 with --full)")
    Integer runs;

    @Option(names = "--epochs", description = "epochs per run (default 150; 300 with --full)")
    Integer epochs;

    @Option(names = "--full", description = "the paper's protocol: 100 runs of 300 epochs per family (about 16 minutes on one core)")
    boolean full;

    @Option(names = "--seed", defaultValue = "1", description = "first seed; run r uses seed + r (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--width", defaultValue = "4", description = "width of the lifted state (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--layers", defaultValue = "10", description = "residual layers, even (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--slope", defaultValue = "0.5", description = "LeakyReLU slope a (default ${DEFAULT-VALUE})")
    double slope;

    @Option(names = "--substeps", defaultValue = "2",
            description = "sub-steps S of the alternating layers, region R of (3.10) (default ${DEFAULT-VALUE})")
    int substeps;

    @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--batch-size", defaultValue = "256", description = "mini-batch size (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--weight-std", defaultValue = "0.1",
            description = "std of the raw W of A = expm(W − Wᵀ) at initialisation (default ${DEFAULT-VALUE})")
    double weightStd;

    @Option(names = "--alternating-h1", defaultValue = "1.0",
            description = "initial contractive step h₁ of each pair (default ${DEFAULT-VALUE})")
    double alternatingH1;

    @Option(names = "--alternating-h2", defaultValue = "0.15",
            description = "initial expansive step h₂ of each pair, projected into R (default ${DEFAULT-VALUE})")
    double alternatingH2;

    @Option(names = "--min-contractive-step", defaultValue = "0.2",
            description = "floor δ on the contractive step h₁ of each pair, keeps pairs off R's corner (0, 0)"
                    + " (default ${DEFAULT-VALUE})")
    double minContractiveStep;

    @Option(names = "--expansive-step", defaultValue = "0.2",
            description = "initial step of the expansive layers (default ${DEFAULT-VALUE})")
    double expansiveStep;

    @Option(names = "--contractive-step", defaultValue = "1.8",
            description = "initial step of the contractive layers, in [0, 2] (default ${DEFAULT-VALUE})")
    double contractiveStep;

    @Option(names = "--train-size", defaultValue = "1000", description = "training points (default ${DEFAULT-VALUE})")
    int trainSize;

    @Option(names = "--test-size", defaultValue = "1000", description = "test points (default ${DEFAULT-VALUE})")
    int testSize;

    @Option(names = "--dtype", defaultValue = "float32", converter = DataTypeConverter.class,
            description = "float32 or float64 (default ${DEFAULT-VALUE})")
    DataType dtype;

    @Option(names = "--out", defaultValue = "out/planar", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;

    static final int QUICK_RUNS = 3;
    static final int QUICK_EPOCHS = 150;
    static final int FULL_RUNS = 100;
    static final int EPOCHS = 300;

    @Override
    public Integer call() throws Exception {
        Settings settings;
        List<Family> chosen = new ArrayList<>();
        try {
            settings = new Settings(PlanarSet.of(dataset), trainSize, testSize, width, layers, slope, substeps,
                    epochs != null ? epochs : full ? EPOCHS : QUICK_EPOCHS, batchSize, lr, weightStd, alternatingH1, alternatingH2,
                    minContractiveStep, expansiveStep, contractiveStep, dtype);
            for (String f : families) {
                Family fam = Family.of(f.trim());
                if (!chosen.contains(fam)) {
                    chosen.add(fam);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        int n = runs != null ? runs : full ? FULL_RUNS : QUICK_RUNS;
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--runs: expected ≥ 1 but got " + n);
        }
        PlanarExperiment experiment = new PlanarExperiment(settings, seed);
        System.out.printf("planar (%s): %s, %d train / %d test points; width %d, %d layers, LeakyReLU(%s), S = %d;"
                        + " Adam lr %s, batch %d, %d epochs; %d run(s) per family%n",
                "[CMOSS] §1.1, Table 1", settings.dataset().key(), settings.trainSize(), settings.testSize(),
                settings.width(), settings.layers(), settings.slope(), settings.substeps(), settings.learningRate(),
                settings.batchSize(), settings.epochs(), n);
        Map<Family, FamilySummary> summaries = new EnumMap<>(Family.class);
        Map<Family, PlanarExperiment.Trained> medianModels = new EnumMap<>(Family.class);
        long start = System.nanoTime();
        try (Progress progress = new Progress("planar", (long) n * chosen.size())) {
            for (Family family : chosen) {
                List<RunResult> results = new ArrayList<>();
                List<PlanarExperiment.Trained> trained = new ArrayList<>();
                for (int r = 0; r < n; r++) {
                    PlanarExperiment.Trained t = experiment.run(family, seed + r, true);
                    trained.add(t);
                    results.add(t.result());
                    progress.message(String.format("%s run %d: acc %.3f, T %.2f", family.key(), r + 1,
                            t.result().testAccuracy(), t.result().finalTime()));
                    progress.step();
                }
                FamilySummary s = new FamilySummary(family, results);
                summaries.put(family, s);
                medianModels.put(family, trained.get(s.medianRunIndex()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Table table = new Table("family", "median test acc", "median T", "paper acc", "paper T", "min acc",
                "max Lip ratio", "runs");
        for (FamilySummary s : summaries.values()) {
            Family f = s.family();
            table.row(f.key() + " (" + f.symbol() + ")", pct(s.medianAccuracy()), String.format("%.2f", s.medianFinalTime()),
                    pct(f.paperAccuracy()), String.format("%.2f", f.paperFinalTime()), pct(s.minAccuracy()),
                    String.format("%.6f", s.maxLipschitzRatio()), s.runs().size());
        }
        System.out.print(table);
        System.out.printf("Lip ratio: largest ‖Φ(x)−Φ(y)‖/‖x−y‖ of the lift and residual layers over random pairs "
                + "(≤ 1 for F ∪ F_c and F_c by construction). Total %.1f s.%n", seconds);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", "[CMOSS] §1.1, Table 1");
        for (FamilySummary s : summaries.values()) {
            json.put(s.family().key(), s.toMap());
        }
        json.put("settings", settings.toMap());
        json.put("runs_per_family", n);
        json.put("first_seed", seed);
        Map<String, Object> paper = new LinkedHashMap<>();
        for (Family f : Family.values()) {
            paper.put(f.key(), Map.of("median_accuracy", f.paperAccuracy(), "median_final_time", f.paperFinalTime()));
        }
        paper.put("runs_per_family", FULL_RUNS);
        paper.put("epochs", EPOCHS);
        json.put("paper", paper);
        json.put("total_seconds", seconds);
        Path file = Results.write(out, json);

        Map<Family, double[]> steps = new EnumMap<>(Family.class);
        for (Map.Entry<Family, PlanarExperiment.Trained> e : medianModels.entrySet()) {
            Family f = e.getKey();
            RunResult r = e.getValue().result();
            steps.put(f, r.steps());
            Plots.save(PlanarPlots.decisionRegions(e.getValue().model(), experiment.test(), settings.dataset(),
                    String.format("%s (%s) on %s: test accuracy %.1f%%, T = %.2f (seed %d)", f.key(), f.symbol(),
                            settings.dataset().key(), 100 * r.testAccuracy(), r.finalTime(), r.seed())),
                    out, "decision_" + f.key());
        }
        Plots.save(PlanarPlots.steps(steps), out, "steps");
        System.out.println("wrote " + file + ", decision_<family>.png and steps.png in " + out);
        return 0;
    }

    private static String pct(double v) {
        return String.format("%.1f%%", 100 * v);
    }
}
