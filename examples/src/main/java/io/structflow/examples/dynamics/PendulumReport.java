package io.structflow.examples.dynamics;

import io.structflow.examples.dynamics.PendulumExperiment.Model;
import io.structflow.examples.support.Report;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.Summary;
import io.structflow.examples.support.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pendulum experiment's report: per model the test error, symplecticity residual and energy
 * error of long rollouts (medians over runs), phase portraits, the energy error over time and the
 * training losses.
 */
public final class PendulumReport {
    private PendulumReport() {
    }

    /** The report of {@code results}, one per run of {@code c} (run r with seed {@code c.seed() + r}). */
    public static Report of(PendulumExperiment.Config c, List<PendulumExperiment.Result> results) {
        int runs = results.size();
        List<Model> chosen = c.models();
        Report report = new Report();
        Table table = new Table("model", "params", "test MSE", "‖JᵀΩJ − Ω‖", "max |H(x_k) − H(x_0)|", "train s");
        double[] identity = results.stream().mapToDouble(PendulumExperiment.Result::identityMse).toArray();
        report.put("identity_mse", Summary.median(identity));
        for (int i = 0; i < chosen.size(); i++) {
            Model m = chosen.get(i);
            double[] mse = new double[runs];
            double[] residual = new double[runs];
            double[] energy = new double[runs];
            double[] seconds = new double[runs];
            for (int r = 0; r < runs; r++) {
                PendulumExperiment.ModelResult x = results.get(r).models().get(i);
                mse[r] = x.testMse();
                residual[r] = x.symplecticity();
                energy[r] = x.energyError();
                seconds[r] = x.seconds();
            }
            PendulumExperiment.ModelResult firstRun = results.get(0).models().get(i);
            table.row(m.key(), firstRun.parameters(), Summary.sci(Summary.median(mse)),
                    Summary.sci(Summary.median(residual)), Summary.sci(Summary.median(energy)),
                    String.format("%.1f", Summary.median(seconds)));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("test_mse", Summary.median(mse));
            entry.put("symplecticity_residual", Summary.median(residual));
            entry.put("energy_error", Summary.median(energy));
            entry.put("parameters", firstRun.parameters());
            entry.put("train_seconds", Summary.median(seconds));
            entry.put("final_train_loss", firstRun.losses()[firstRun.losses().length - 1]);
            if (runs > 1) {
                entry.put("runs_test_mse", mse);
                entry.put("runs_symplecticity_residual", residual);
                entry.put("runs_energy_error", energy);
            }
            report.put(m.key(), entry);
        }
        table.row("identity", 0, Summary.sci(Summary.median(identity)), "0", "0", "");
        table.row("RK4 reference", "", "", "", Summary.sci(results.get(0).trueEnergyError()), "");
        report.table(table);
        if (runs > 1) {
            report.line("(medians over " + runs + " runs)");
        }
        FlowMapFit.Settings fit = c.fit();
        PendulumExperiment.Result shown = results.get(0);
        return report.put("reference_energy_error", shown.trueEnergyError())
                .put("dtype", SharedOptions.dtypeName(c.type()))
                .put("h", c.h())
                .put("epochs", fit.epochs())
                .put("steps", (long) fit.epochs() * (c.trainSize() / fit.batchSize()))
                .put("batch", fit.batchSize())
                .put("lr", fit.learningRate())
                .put("lr_final", fit.finalRate())
                .put("train_size", c.trainSize())
                .put("test_size", c.testSize())
                .put("rollout_steps", c.rolloutSteps())
                .put("rollout_orbits", c.portraitStarts().length + c.randomOrbits())
                .put("runs", runs)
                .put("seed", c.seed())
                .figure(dir -> DynamicsPlots.pendulumPhase(dir, shown, Math.max(1, c.rolloutSteps() / 250)))
                .figure(dir -> List.of(DynamicsPlots.pendulumEnergy(dir, shown, c.h())))
                .figure(dir -> List.of(DynamicsPlots.losses(dir, "pendulum_loss", "Pendulum: training loss",
                        chosen.stream().map(Model::key).toList(),
                        shown.models().stream().map(PendulumExperiment.ModelResult::losses).toList())));
    }
}
