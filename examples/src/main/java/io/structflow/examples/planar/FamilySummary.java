package io.structflow.examples.planar;

import io.structflow.examples.support.Summary;
import io.structflow.layers.models.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of one family and their Table 1 figures: median test accuracy and median final time
 * {@code T = Σ|hᵢ|}, beside the paper's.
 *
 * @param family the family
 * @param runs   its runs, in seed order (at least one)
 */
public record FamilySummary(Family family, List<RunResult> runs) {
    /** Copies the list; requires at least one run. */
    public FamilySummary {
        if (runs == null || runs.isEmpty()) {
            throw new IllegalArgumentException("FamilySummary: runs expected at least one but got none");
        }
        runs = List.copyOf(runs);
    }

    /** Median test accuracy over the runs, in [0, 1]. */
    public double medianAccuracy() {
        return Summary.median(values(RunResult::testAccuracy));
    }

    /** Median final time over the runs. */
    public double medianFinalTime() {
        return Summary.median(values(RunResult::finalTime));
    }

    /** Smallest test accuracy over the runs. */
    public double minAccuracy() {
        double m = Double.POSITIVE_INFINITY;
        for (RunResult r : runs) {
            m = Math.min(m, r.testAccuracy());
        }
        return m;
    }

    /** Largest empirical Lipschitz ratio of the dynamical part over the runs. */
    public double maxLipschitzRatio() {
        double m = 0;
        for (RunResult r : runs) {
            m = Math.max(m, r.lipschitzRatio());
        }
        return m;
    }

    /** Largest step-constraint violation over the runs (0: every step in its set). */
    public double maxStepViolation() {
        double m = 0;
        for (RunResult r : runs) {
            m = Math.max(m, r.stepViolation());
        }
        return m;
    }

    /** The index of the run whose test accuracy is the (lower) median. */
    public int medianRunIndex() {
        Integer[] order = new Integer[runs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(runs.get(a).testAccuracy(), runs.get(b).testAccuracy()));
        return order[(order.length - 1) / 2];
    }

    /** Median, per-run lists and the paper's values, snake_case keys, for results.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", family.symbol());
        m.put("runs", runs.size());
        m.put("median_accuracy", medianAccuracy());
        m.put("median_final_time", medianFinalTime());
        m.put("min_accuracy", minAccuracy());
        m.put("max_lipschitz_ratio", maxLipschitzRatio());
        m.put("lipschitz_one_by_construction", family.lipschitzOne());
        m.put("max_step_violation", maxStepViolation());
        m.put("paper_median_accuracy", family.paperAccuracy());
        m.put("paper_median_final_time", family.paperFinalTime());
        m.put("median_run_seed", runs.get(medianRunIndex()).seed());
        m.put("seeds", list(r -> (double) r.seed()).stream().map(Double::longValue).toList());
        m.put("accuracies", list(RunResult::testAccuracy));
        m.put("train_accuracies", list(RunResult::trainAccuracy));
        m.put("final_times", list(RunResult::finalTime));
        m.put("lipschitz_ratios", list(RunResult::lipschitzRatio));
        m.put("final_losses", list(RunResult::finalLoss));
        m.put("seconds", list(RunResult::seconds));
        List<double[]> steps = new ArrayList<>();
        for (RunResult r : runs) {
            steps.add(r.steps());
        }
        m.put("steps", steps);
        return m;
    }

    private double[] values(java.util.function.ToDoubleFunction<RunResult> f) {
        return runs.stream().mapToDouble(f).toArray();
    }

    private List<Double> list(java.util.function.ToDoubleFunction<RunResult> f) {
        return runs.stream().map(r -> f.applyAsDouble(r)).toList();
    }
}
