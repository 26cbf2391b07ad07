package io.structflow.examples;

import io.structflow.examples.dynamics.DynamicsPlots;
import io.structflow.examples.dynamics.FlowMapFit;
import io.structflow.examples.dynamics.SirExperiment;
import io.structflow.examples.dynamics.SirSystem;
import io.structflow.examples.dynamics.Summary;
import io.structflow.examples.support.DataTypeConverter;
import io.structflow.examples.support.Results;
import io.structflow.examples.support.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * [CMOSS] §4.3: a mass-preserving network (zero-padding lift, explicit Euler layers on the field
 * (4.2), mass-preserving projection) learns the time-t flow map of the SIR model (4.3); prints
 * the test error next to the identity map's and the worst mass defect, and draws Fig. 6.
 */
@Command(name = "sir", mixinStandardHelpOptions = true,
        description = {"Mass-preserving network learning the SIR flow map ([CMOSS] §4.3, Fig. 6).",
            "S' = −βSI, I' = βSI − γI, R' = γI; initial states uniform on the simplex; targets from RK4."})
final class SirCommand implements Callable<Integer> {
    /** Epochs of the full protocol (--full). */
    static final int FULL_EPOCHS = 400;
    /** Default epochs: 100 × 32 = 3200 Adam steps. */
    static final int QUICK_EPOCHS = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", description = "training epochs (default " + QUICK_EPOCHS + "; --full: " + FULL_EPOCHS + ")")
    Integer epochs;

    @Option(names = "--full", description = "the full protocol: " + FULL_EPOCHS + " epochs")
    boolean full;

    @Option(names = "--seed", defaultValue = "1", description = "seed of data and weights (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--runs", defaultValue = "1", description = "independent runs with seeds seed, seed+1, … (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--dtype", defaultValue = "float64", converter = DataTypeConverter.class,
            description = "float32 or float64 (default ${DEFAULT-VALUE})")
    DataType dtype;

    @Option(names = "--beta", defaultValue = "2.0", description = "infection rate β (default ${DEFAULT-VALUE})")
    double beta;

    @Option(names = "--gamma", defaultValue = "1.0", description = "recovery rate γ (default ${DEFAULT-VALUE})")
    double gamma;

    @Option(names = "--time", defaultValue = "1.0", description = "time t of the learned flow map (default ${DEFAULT-VALUE})")
    double time;

    @Option(names = "--layers", defaultValue = "9", description = "Euler layers (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--width", defaultValue = "6", description = "lifted width n > 3 (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--hidden", defaultValue = "10", description = "hidden width of each field's network A(z) (default ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--train", defaultValue = "1024", description = "training pairs (default ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", defaultValue = "1024", description = "test pairs (default ${DEFAULT-VALUE})")
    int test;

    @Option(names = "--batch", defaultValue = "32", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-2", description = "Adam learning rate, first epoch (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--lr-final", defaultValue = "1e-4", description = "learning rate of the last epoch, cosine decay (default ${DEFAULT-VALUE})")
    double lrFinal;

    @Option(names = "--rollout", defaultValue = "20", description = "applications of the learned map in Fig. 6 (default ${DEFAULT-VALUE})")
    int rollout;

    @Option(names = "--out", defaultValue = "out/sir", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;

    int epochs() {
        if (epochs != null && full) {
            throw new ParameterException(spec.commandLine(), "--epochs and --full: expected at most one but got both");
        }
        return epochs != null ? epochs : full ? FULL_EPOCHS : QUICK_EPOCHS;
    }

    @Override
    public Integer call() throws IOException {
        int e = epochs();
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs: expected at least 1 but got " + runs);
        }
        List<SirExperiment.Result> results = new ArrayList<>();
        SirExperiment.Config first = null;
        for (int r = 0; r < runs; r++) {
            SirExperiment.Config c;
            try {
                c = new SirExperiment.Config(new SirSystem(beta, gamma), time, 100, train, test, width, layers, hidden,
                        0.1, new FlowMapFit.Settings(e, batch, lr, lrFinal, seed + r), dtype, seed + r,
                        new double[] {0.9, 0.1, 0.0}, rollout);
            } catch (IllegalArgumentException ex) {
                throw new ParameterException(spec.commandLine(), ex.getMessage());
            }
            if (first == null) {
                first = c;
                System.out.printf("SIR flow map, β = %s, γ = %s, t = %s; %d layers of width %d (hidden %d), %s, "
                                + "%d epochs of batch %d, %d training pairs%n", beta, gamma, time, layers, width, hidden,
                        dtype == DataType.DOUBLE ? "float64" : "float32", e, batch, train);
            }
            results.add(SirExperiment.run(c));
        }

        Table table = new Table("run", "seed", "test MSE", "identity MSE", "max |Σout − Σin|", "rollout MSE",
                "train s");
        double[] testMse = new double[runs];
        double[] identity = new double[runs];
        double[] mass = new double[runs];
        double[] rolloutMse = new double[runs];
        List<Map<String, Object>> perRun = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            SirExperiment.Result x = results.get(r);
            testMse[r] = x.testMse();
            identity[r] = x.identityMse();
            mass[r] = x.maxMassError();
            rolloutMse[r] = x.rolloutMse();
            table.row(r + 1, seed + r, Summary.sci(x.testMse()), Summary.sci(x.identityMse()),
                    Summary.sci(x.maxMassError()), Summary.sci(x.rolloutMse()), String.format("%.1f", x.seconds()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", seed + r);
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
        System.out.print(table);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("test_mse", Summary.median(testMse));
        json.put("identity_mse", Summary.median(identity));
        json.put("max_mass_error", Summary.max(mass));
        json.put("rollout_mse", Summary.median(rolloutMse));
        json.put("dtype", dtype == DataType.DOUBLE ? "float64" : "float32");
        json.put("beta", beta);
        json.put("gamma", gamma);
        json.put("time", time);
        json.put("layers", layers);
        json.put("width", width);
        json.put("hidden", hidden);
        json.put("parameters", results.get(0).parameters());
        json.put("epochs", e);
        json.put("batch", batch);
        json.put("lr", lr);
        json.put("lr_final", lrFinal);
        json.put("train_size", train);
        json.put("test_size", test);
        json.put("runs", perRun);
        Path file = Results.write(out, json);
        List<Path> plots = new ArrayList<>(DynamicsPlots.sir(out, results.get(0), time));
        plots.add(DynamicsPlots.losses(out, "sir_loss", "SIR: training loss", List.of("mass-preserving network"),
                List.of(results.get(0).losses())));
        System.out.println("wrote " + file);
        for (Path p : plots) {
            System.out.println("wrote " + p);
        }
        return 0;
    }
}
