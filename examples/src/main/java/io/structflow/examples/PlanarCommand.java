package io.structflow.examples;

import io.structflow.examples.planar.PlanarExperiment;
import io.structflow.examples.planar.PlanarOnSpark;
import io.structflow.examples.planar.PlanarReport;
import io.structflow.examples.planar.PlanarSet;
import io.structflow.examples.planar.Settings;
import io.structflow.examples.support.ByProtocol;
import io.structflow.examples.support.OptionRanges;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SparkOption;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
import io.structflow.layers.models.Family;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.nd4j.linalg.api.buffer.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * [CMOSS] §1.1 and Table 1: planar binary classification by ten 1-Lipschitz (or expansive)
 * residual layers of three families; prints the median test accuracy and the median final time
 * {@code T = Σ|hᵢ|} of each family beside the paper's, writes results.json, decision-region plots
 * and the learned step lengths per layer (Fig. 1a).
 */
@Command(name = "planar", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = {"[CMOSS] §1.1 / Table 1: alternating contractive/expansive (F ∪ F_c), expansive (F) and "
                + "contractive (F_c) residual networks on a planar two-class set; median test accuracy and final "
                + "time T = Σ|h| over seeded runs, next to the paper's.",
                "Default: a quick protocol (runs and epochs reduced); --full runs the paper's 100 seeds × 300 epochs."})
final class PlanarCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Option(names = "--dataset", defaultValue = "disc",
            description = "disc (Table 1's substitute: Halton points, label 1 inside r = 1/√2), rings, spirals, moons"
                    + " (default ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--families", split = ",", defaultValue = "alternating,expansive,contractive",
            description = "comma-separated families to train (default ${DEFAULT-VALUE})")
    List<String> families;

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

    @Mixin
    SparkOption spark;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().seed(1).runs(ByProtocol.of(3).full(PlanarReport.PAPER_RUNS))
                .epochs(ByProtocol.of(150).full(PlanarReport.PAPER_EPOCHS)).dtype(DataType.FLOAT)
                .describe(SharedOptions.RUNS, "seeds per family").describe(SharedOptions.EPOCHS, "epochs per run")
                .full("the paper's protocol: 100 runs of 300 epochs per family (about 16 minutes on one core)");
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = new Settings(PlanarSet.of(dataset), trainSize, testSize, width, layers, slope, substeps,
                shared.epochs(), batchSize, lr, weightStd, alternatingH1, alternatingH2, minContractiveStep, expansiveStep,
                contractiveStep, shared.dtype());
        List<Family> chosen = families.stream().map(f -> OptionRanges.parse("--families", f.trim(), Family::of))
                .distinct().toList();
        int n = shared.runs();
        long seed = shared.seed();
        spark.check();
        Path out = shared.prepareOut();
        PlanarExperiment experiment = new PlanarExperiment(settings, seed);
        System.out.printf("planar (%s): %s, %d train / %d test points; width %d, %d layers, LeakyReLU(%s), S = %d;"
                        + " Adam lr %s, batch %d, %d epochs; %d run(s) per family%n",
                "[CMOSS] §1.1, Table 1", settings.dataset().key(), settings.trainSize(), settings.testSize(),
                settings.width(), settings.layers(), settings.slope(), settings.substeps(), settings.learningRate(),
                settings.batchSize(), settings.epochs(), n);
        Map<Family, List<PlanarExperiment.Trained>> runs = new EnumMap<>(Family.class);
        long start = System.nanoTime();
        if (spark.enabled()) {
            JavaSparkContext sc = spark.open("planar");
            try {
                runs = PlanarOnSpark.run(sc, settings, seed, chosen, n, seed);
            } finally {
                sc.stop();
            }
        } else {
            try (Progress progress = new Progress("planar", (long) n * chosen.size())) {
                for (Family family : chosen) {
                    List<PlanarExperiment.Trained> trained = new ArrayList<>();
                    for (int r = 0; r < n; r++) {
                        PlanarExperiment.Trained t = experiment.run(family, seed + r, true);
                        trained.add(t);
                        progress.message(String.format("%s run %d: acc %.3f, T %.2f", family.key(), r + 1,
                                t.result().testAccuracy(), t.result().finalTime()));
                        progress.step();
                    }
                    runs.put(family, trained);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ReportWriter.write(PlanarReport.of(experiment, seed, runs, seconds), out, System.out);
        return 0;
    }
}
