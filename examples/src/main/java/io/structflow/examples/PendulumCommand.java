package io.structflow.examples;

import io.structflow.examples.dynamics.DynamicsPlots;
import io.structflow.examples.dynamics.FlowMapFit;
import io.structflow.examples.dynamics.PendulumExperiment;
import io.structflow.examples.dynamics.PendulumExperiment.Model;
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
 * Learning the pendulum's flow map ([M-slides] "Learning the Hamiltonian", [CMOSS] §4.1) with a
 * SympNet, a Störmer–Verlet step of a learned separable Hamiltonian, and an unstructured ResNet;
 * prints test error, symplecticity residual and energy error of long rollouts, and draws phase
 * portraits and the energy error over time.
 */
@Command(name = "pendulum", mixinStandardHelpOptions = true,
        description = {"SympNet vs Hamiltonian network vs ResNet learning the pendulum flow map (H = p²/2 − cos q, h = 0.1).",
            "Reports test MSE, symplecticity residual ‖JᵀΩJ − Ω‖ and the energy error of 1000-step rollouts."})
final class PendulumCommand implements Callable<Integer> {
    /** Epochs of the full protocol (--full): 625 epochs of 16 steps = 10⁴ Adam steps of batch 256. */
    static final int FULL_EPOCHS = 625;
    /** Default epochs: 150 × 16 = 2400 steps. */
    static final int QUICK_EPOCHS = 150;

    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", description = "training epochs of 16 steps each (default " + QUICK_EPOCHS + ")")
    Integer epochs;

    @Option(names = "--full", description = "the full protocol: " + FULL_EPOCHS + " epochs = 10⁴ Adam steps of batch 256")
    boolean full;

    @Option(names = "--seed", defaultValue = "1", description = "seed of data and weights (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--runs", defaultValue = "1", description = "independent runs with seeds seed, seed+1, … (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--dtype", defaultValue = "float32", converter = DataTypeConverter.class,
            description = "float32 or float64 (default ${DEFAULT-VALUE})")
    DataType dtype;

    @Option(names = "--models", defaultValue = "sympnet,hamiltonian,resnet", split = ",",
            description = "models to train, from sympnet, hamiltonian, resnet (default ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--train", defaultValue = "4096", description = "training pairs (default ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", defaultValue = "1024", description = "test pairs (default ${DEFAULT-VALUE})")
    int test;

    @Option(names = "--batch", defaultValue = "256", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--lr-final", description = "learning rate of the last epoch, cosine decay (default: --lr, constant)")
    Double lrFinal;

    @Option(names = "--symp-modules", defaultValue = "8", description = "SympNet gradient modules (default ${DEFAULT-VALUE})")
    int sympModules;

    @Option(names = "--symp-width", defaultValue = "32", description = "SympNet module width (default ${DEFAULT-VALUE})")
    int sympWidth;

    @Option(names = "--ham-width", defaultValue = "128", description = "width of each network of H_θ (default ${DEFAULT-VALUE})")
    int hamWidth;

    @Option(names = "--resnet-blocks", defaultValue = "8", description = "ResNet blocks (default ${DEFAULT-VALUE})")
    int resnetBlocks;

    @Option(names = "--resnet-width", defaultValue = "19", description = "ResNet hidden width (default ${DEFAULT-VALUE})")
    int resnetWidth;

    @Option(names = "--rollout", defaultValue = "1000", description = "rollout steps for the energy error (default ${DEFAULT-VALUE})")
    int rollout;

    @Option(names = "--orbits", defaultValue = "8", description = "random rollout initial states besides the 3 portrait ones (default ${DEFAULT-VALUE})")
    int orbits;

    @Option(names = "--out", defaultValue = "out/pendulum", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;

    private List<Model> parseModels() {
        List<Model> list = new ArrayList<>();
        for (String name : models) {
            Model found = null;
            for (Model m : Model.values()) {
                if (m.key().equals(name.trim())) {
                    found = m;
                }
            }
            if (found == null) {
                throw new ParameterException(spec.commandLine(), "--models: expected names from sympnet, hamiltonian, "
                        + "resnet but got '" + name + "'");
            }
            if (!list.contains(found)) {
                list.add(found);
            }
        }
        return list;
    }

    @Override
    public Integer call() throws IOException {
        if (epochs != null && full) {
            throw new ParameterException(spec.commandLine(), "--epochs and --full: expected at most one but got both");
        }
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs: expected at least 1 but got " + runs);
        }
        int e = epochs != null ? epochs : full ? FULL_EPOCHS : QUICK_EPOCHS;
        List<Model> chosen = parseModels();
        List<PendulumExperiment.Result> results = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            PendulumExperiment.Config c;
            try {
                c = new PendulumExperiment.Config(0.1, 10, 1.5, train, test, sympModules, sympWidth, hamWidth,
                        resnetBlocks, resnetWidth, new FlowMapFit.Settings(e, batch, lr, lrFinal == null ? lr : lrFinal,
                        seed + r), dtype, seed + r, rollout, orbits, new double[] {0.5, 1.0, 1.5}, 32, chosen);
            } catch (IllegalArgumentException ex) {
                throw new ParameterException(spec.commandLine(), ex.getMessage());
            }
            if (r == 0) {
                System.out.printf("pendulum flow map, h = 0.1, box [−π, π] × [−1.5, 1.5], %s, %d epochs × %d steps of "
                                + "batch %d, Adam lr %s%s%n", dtype == DataType.DOUBLE ? "float64" : "float32", e,
                        train / batch, batch, lr, lrFinal == null ? "" : " → " + lrFinal);
            }
            results.add(PendulumExperiment.run(c));
        }

        Table table = new Table("model", "params", "test MSE", "‖JᵀΩJ − Ω‖", "max |H(x_k) − H(x_0)|", "train s");
        Map<String, Object> json = new LinkedHashMap<>();
        double[] identity = results.stream().mapToDouble(PendulumExperiment.Result::identityMse).toArray();
        json.put("identity_mse", Summary.median(identity));
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
            json.put(m.key(), entry);
        }
        table.row("identity", 0, Summary.sci(Summary.median(identity)), "0", "0", "");
        table.row("RK4 reference", "", "", "", Summary.sci(results.get(0).trueEnergyError()), "");
        System.out.print(table);
        if (runs > 1) {
            System.out.println("(medians over " + runs + " runs)");
        }
        json.put("reference_energy_error", results.get(0).trueEnergyError());
        json.put("dtype", dtype == DataType.DOUBLE ? "float64" : "float32");
        json.put("h", 0.1);
        json.put("epochs", e);
        json.put("steps", (long) e * (train / batch));
        json.put("batch", batch);
        json.put("lr", lr);
        json.put("lr_final", lrFinal == null ? lr : lrFinal);
        json.put("train_size", train);
        json.put("test_size", test);
        json.put("rollout_steps", rollout);
        json.put("rollout_orbits", 3 + orbits);
        json.put("runs", runs);
        json.put("seed", seed);
        Path file = Results.write(out, json);
        PendulumExperiment.Result shown = results.get(0);
        List<Path> plots = new ArrayList<>(DynamicsPlots.pendulumPhase(out, shown, Math.max(1, rollout / 250)));
        plots.add(DynamicsPlots.pendulumEnergy(out, shown, 0.1));
        plots.add(DynamicsPlots.losses(out, "pendulum_loss", "Pendulum: training loss",
                chosen.stream().map(Model::key).toList(), shown.models().stream().map(x -> x.losses()).toList()));
        System.out.println("wrote " + file);
        for (Path p : plots) {
            System.out.println("wrote " + p);
        }
        return 0;
    }
}
