package io.structflow.examples.approximation;

import io.structflow.examples.support.Report;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.Summary;
import io.structflow.examples.support.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The approximation experiment's report: the errors per target (medians over runs) and Fig. 7's plots. */
public final class ApproximationReport {
    private ApproximationReport() {
    }

    /** The report of the runs of each target, trained with {@code s}, seeds from {@code seed}. */
    public static Report of(ApproximationExperiment.Settings s, long seed, Map<Target, List<ApproximationExperiment.Outcome>> runs) {
        Report report = new Report().put("command", "approximate").put("settings", settings(s, seed, runs));
        Table table = new Table("target", "formula", "runs", "max error", "rmse", "untrained max error", "final loss",
                "parameters", "seconds");
        for (Map.Entry<Target, List<ApproximationExperiment.Outcome>> e : runs.entrySet()) {
            Target target = e.getKey();
            List<ApproximationExperiment.Outcome> outcomes = e.getValue();
            ApproximationExperiment.Outcome first = outcomes.get(0);
            double maxError = Summary.median(outcomes, ApproximationExperiment.Outcome::maxError);
            double rmse = Summary.median(outcomes, ApproximationExperiment.Outcome::rmse);
            double untrained = Summary.median(outcomes, ApproximationExperiment.Outcome::untrainedMaxError);
            double loss = Summary.median(outcomes, ApproximationExperiment.Outcome::finalLoss);
            double seconds = outcomes.stream().mapToDouble(ApproximationExperiment.Outcome::seconds).sum();
            table.row(target.key(), target.formula(), outcomes.size(), Summary.sci(maxError, 4), Summary.sci(rmse, 4),
                    Summary.sci(untrained, 4), Summary.sci(loss, 4), first.parameters(),
                    String.format(Locale.ROOT, "%.1f", seconds));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("formula", target.formula());
            entry.put("domain", new double[] {target.lo(), target.hi()});
            entry.put("max_error", maxError);
            entry.put("rmse", rmse);
            entry.put("untrained_max_error", untrained);
            entry.put("final_loss", loss);
            entry.put("parameters", first.parameters());
            entry.put("seconds", seconds);
            entry.put("max_error_runs", outcomes.stream().mapToDouble(ApproximationExperiment.Outcome::maxError).toArray());
            entry.put("seeds", outcomes.stream().mapToLong(ApproximationExperiment.Outcome::seed).toArray());
            report.put(target.key(), entry);
            report.figure(target == Target.F ? dir -> List.of(ApproximationPlots.curve(first, dir))
                    : dir -> List.of(ApproximationPlots.slices(first, dir), ApproximationPlots.errorMap(first, dir)));
        }
        return report.table(table);
    }

    private static Map<String, Object> settings(ApproximationExperiment.Settings s, long seed,
                                                Map<Target, List<ApproximationExperiment.Outcome>> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", s.width());
        m.put("blocks", s.blocks());
        m.put("hidden", s.hidden());
        m.put("initial_step", s.initialStep());
        m.put("gradient", s.gradient().name().toLowerCase(Locale.ROOT));
        m.put("sphere", s.sphere().name().toLowerCase(Locale.ROOT));
        m.put("samples", s.samples());
        m.put("epochs", s.epochs());
        m.put("batch", s.batch());
        m.put("learning_rate", s.learningRate());
        m.put("dtype", SharedOptions.dtypeName(s.type()));
        m.put("seed", seed);
        m.put("runs", runs.values().iterator().next().size());
        return m;
    }
}
