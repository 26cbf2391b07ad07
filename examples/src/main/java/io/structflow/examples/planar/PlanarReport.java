package io.structflow.examples.planar;

import io.structflow.examples.support.Plots;
import io.structflow.examples.support.Report;
import io.structflow.examples.support.Table;
import io.structflow.layers.models.Family;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planar experiment's report: per family the median test accuracy and final time beside the
 * paper's (Table 1), the decision regions of each family's median run and its learned steps (Fig. 1a).
 */
public final class PlanarReport {
    /** Runs per family of the paper's protocol. */
    public static final int PAPER_RUNS = 100;
    /** Epochs per run of the paper's protocol. */
    public static final int PAPER_EPOCHS = 300;

    private PlanarReport() {
    }

    /**
     * The report of the runs of each family.
     *
     * @param experiment the experiment the runs came from (its settings and test set)
     * @param firstSeed  seed of the first run
     * @param runs       per family, its trained runs in seed order
     * @param seconds    wall-clock time of all runs
     */
    public static Report of(PlanarExperiment experiment, long firstSeed, Map<Family, List<PlanarExperiment.Trained>> runs,
                            double seconds) {
        Settings settings = experiment.settings();
        Report report = new Report().put("experiment", "[CMOSS] §1.1, Table 1");
        Table table = new Table("family", "median test acc", "median T", "paper acc", "paper T", "min acc",
                "max Lip ratio", "runs");
        Map<Family, PlanarExperiment.Trained> medianRuns = new EnumMap<>(Family.class);
        for (Map.Entry<Family, List<PlanarExperiment.Trained>> e : runs.entrySet()) {
            Family f = e.getKey();
            FamilySummary s = new FamilySummary(f, e.getValue().stream().map(PlanarExperiment.Trained::result).toList());
            medianRuns.put(f, e.getValue().get(s.medianRunIndex()));
            table.row(f.key() + " (" + f.symbol() + ")", pct(s.medianAccuracy()), String.format("%.2f", s.medianFinalTime()),
                    pct(f.paperAccuracy()), String.format("%.2f", f.paperFinalTime()), pct(s.minAccuracy()),
                    String.format("%.6f", s.maxLipschitzRatio()), s.runs().size());
            report.put(f.key(), s.toMap());
        }
        report.table(table).line(String.format("Lip ratio: largest ‖Φ(x)−Φ(y)‖/‖x−y‖ of the lift and residual layers over "
                + "random pairs (≤ 1 for F ∪ F_c and F_c by construction). Total %.1f s.", seconds));
        Map<String, Object> paper = new LinkedHashMap<>();
        for (Family f : Family.values()) {
            paper.put(f.key(), Map.of("median_accuracy", f.paperAccuracy(), "median_final_time", f.paperFinalTime()));
        }
        paper.put("runs_per_family", PAPER_RUNS);
        paper.put("epochs", PAPER_EPOCHS);
        return report.put("settings", settings.toMap())
                .put("runs_per_family", runs.values().iterator().next().size())
                .put("first_seed", firstSeed)
                .put("paper", paper)
                .put("total_seconds", seconds)
                .figure(dir -> figures(experiment, medianRuns, dir));
    }

    private static List<Path> figures(PlanarExperiment experiment, Map<Family, PlanarExperiment.Trained> medianRuns,
                                                    Path dir) throws IOException {
        PlanarSet dataset = experiment.settings().dataset();
        List<Path> files = new ArrayList<>();
        Map<Family, double[]> steps = new EnumMap<>(Family.class);
        for (Map.Entry<Family, PlanarExperiment.Trained> e : medianRuns.entrySet()) {
            Family f = e.getKey();
            RunResult r = e.getValue().result();
            steps.put(f, r.steps());
            files.add(Plots.save(PlanarPlots.decisionRegions(e.getValue().model(), experiment.test(), dataset,
                    String.format("%s (%s) on %s: test accuracy %.1f%%, T = %.2f (seed %d)", f.key(), f.symbol(),
                            dataset.key(), 100 * r.testAccuracy(), r.finalTime(), r.seed())),
                    dir, "decision_" + f.key()));
        }
        files.add(Plots.save(PlanarPlots.steps(steps), dir, "steps"));
        return files;
    }

    private static String pct(double v) {
        return String.format("%.1f%%", 100 * v);
    }
}
