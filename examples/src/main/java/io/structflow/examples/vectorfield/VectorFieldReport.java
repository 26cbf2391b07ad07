package io.structflow.examples.vectorfield;

import io.structflow.examples.support.Report;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.Summary;
import io.structflow.examples.support.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The vector-field experiment's report: the field errors per target (medians over runs) and Fig. 8's arrow plots. */
public final class VectorFieldReport {
    private VectorFieldReport() {
    }

    /** The report of the runs of each field, trained with {@code s}, seeds from {@code seed}. */
    public static Report of(VectorFieldExperiment.Settings s, long seed, Map<TargetField, List<VectorFieldExperiment.Outcome>> runs) {
        Report report = new Report().put("command", "vector-field").put("settings", settings(s, seed, runs));
        Table table = new Table("field", "formula", "runs", "max error", "relative L2", "untrained max error",
                "untrained rel. L2", "final defect", "parameters", "seconds");
        for (Map.Entry<TargetField, List<VectorFieldExperiment.Outcome>> e : runs.entrySet()) {
            TargetField field = e.getKey();
            List<VectorFieldExperiment.Outcome> outcomes = e.getValue();
            VectorFieldExperiment.Outcome first = outcomes.get(0);
            double maxError = Summary.median(outcomes, VectorFieldExperiment.Outcome::maxError);
            double relative = Summary.median(outcomes, VectorFieldExperiment.Outcome::relativeL2);
            double untrainedMax = Summary.median(outcomes, VectorFieldExperiment.Outcome::untrainedMaxError);
            double untrainedRelative = Summary.median(outcomes, VectorFieldExperiment.Outcome::untrainedRelativeL2);
            double loss = Summary.median(outcomes, VectorFieldExperiment.Outcome::finalLoss);
            double seconds = outcomes.stream().mapToDouble(VectorFieldExperiment.Outcome::seconds).sum();
            table.row(field.key(), field.formula(), outcomes.size(), Summary.sci(maxError, 4), Summary.sci(relative, 4),
                    Summary.sci(untrainedMax, 4), Summary.sci(untrainedRelative, 4), Summary.sci(loss, 4),
                    first.parameters(), String.format(Locale.ROOT, "%.1f", seconds));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("formula", field.formula());
            entry.put("box_radius", field.radius());
            entry.put("max_error", maxError);
            entry.put("relative_l2_error", relative);
            entry.put("untrained_max_error", untrainedMax);
            entry.put("untrained_relative_l2_error", untrainedRelative);
            entry.put("final_defect", loss);
            entry.put("parameters", first.parameters());
            entry.put("seconds", seconds);
            entry.put("max_error_runs", outcomes.stream().mapToDouble(VectorFieldExperiment.Outcome::maxError).toArray());
            entry.put("seeds", outcomes.stream().mapToLong(VectorFieldExperiment.Outcome::seed).toArray());
            report.put(field.key(), entry);
            report.figure(field == TargetField.X2
                    ? dir -> List.of(VectorFieldPlots.plane(first, 0, 1, s.type(), dir, "vector-field-x2"))
                    : dir -> List.of(VectorFieldPlots.plane(first, 0, 1, s.type(), dir, "vector-field-x1-plane12"),
                            VectorFieldPlots.plane(first, 2, 3, s.type(), dir, "vector-field-x1-plane34")));
        }
        return report.table(table);
    }

    private static Map<String, Object> settings(VectorFieldExperiment.Settings s, long seed,
                                                Map<TargetField, List<VectorFieldExperiment.Outcome>> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", s.hidden());
        m.put("step", s.step());
        m.put("composition", s.composition().label());
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
