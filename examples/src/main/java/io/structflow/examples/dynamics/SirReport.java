package io.structflow.examples.dynamics;

import io.structflow.examples.support.Report;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.Summary;
import io.structflow.examples.support.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SIR experiment's report: test error against the identity map's, mass defect, rollout, Fig. 6. */
public final class SirReport {
    private SirReport() {
    }

    /**
     * The report of {@code results}, one per run; run r used {@code configs.get(r)} (the same
     * settings, seed {@code seed + r}).
     */
    public static Report of(List<SirExperiment.Config> configs, List<SirExperiment.Result> results) {
        SirExperiment.Config c = configs.get(0);
        int runs = results.size();
        Report report = new Report();
        Table table = new Table("run", "seed", "test MSE", "identity MSE", "max |Σout − Σin|", "rollout MSE",
                "train s");
        double[] testMse = new double[runs];
        double[] identity = new double[runs];
        double[] mass = new double[runs];
        double[] rolloutMse = new double[runs];
        List<Map<String, Object>> perRun = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            SirExperiment.Result x = results.get(r);
            long seed = configs.get(r).seed();
            testMse[r] = x.testMse();
            identity[r] = x.identityMse();
            mass[r] = x.maxMassError();
            rolloutMse[r] = x.rolloutMse();
            table.row(r + 1, seed, Summary.sci(x.testMse()), Summary.sci(x.identityMse()),
                    Summary.sci(x.maxMassError()), Summary.sci(x.rolloutMse()), String.format("%.1f", x.seconds()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", seed);
            m.put("test_mse", x.testMse());
            m.put("identity_mse", x.identityMse());
            m.put("max_mass_error", x.maxMassError());
            m.put("rollout_mse", x.rolloutMse());
            m.put("rollout_mass_error", x.rolloutMassError());
            m.put("final_train_loss", x.losses()[x.losses().length - 1]);
            m.put("train_seconds", x.seconds());
            perRun.add(m);
        }
        if (runs > 1) {
            table.row("median", "", Summary.sci(Summary.median(testMse)), Summary.sci(Summary.median(identity)),
                    Summary.sci(Summary.max(mass)) + " (max)", Summary.sci(Summary.median(rolloutMse)), "");
        }
        SirExperiment.Result shown = results.get(0);
        return report.table(table)
                .put("test_mse", Summary.median(testMse))
                .put("identity_mse", Summary.median(identity))
                .put("max_mass_error", Summary.max(mass))
                .put("rollout_mse", Summary.median(rolloutMse))
                .put("dtype", SharedOptions.dtypeName(c.type()))
                .put("beta", c.system().beta())
                .put("gamma", c.system().gamma())
                .put("time", c.time())
                .put("layers", c.depth())
                .put("width", c.width())
                .put("hidden", c.hidden())
                .put("parameters", shown.parameters())
                .put("epochs", c.fit().epochs())
                .put("batch", c.fit().batchSize())
                .put("lr", c.fit().learningRate())
                .put("lr_final", c.fit().finalRate())
                .put("train_size", c.trainSize())
                .put("test_size", c.testSize())
                .put("runs", perRun)
                .figure(dir -> DynamicsPlots.sir(dir, shown, c.time()))
                .figure(dir -> List.of(DynamicsPlots.losses(dir, "sir_loss", "SIR: training loss",
                        List.of("mass-preserving network"), List.of(shown.losses()))));
    }
}
