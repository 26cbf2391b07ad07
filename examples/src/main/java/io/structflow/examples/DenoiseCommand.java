package io.structflow.examples;

import io.structflow.examples.pnp.DenoiseExperiment;
import io.structflow.examples.pnp.DenoiseOnSpark;
import io.structflow.examples.pnp.DenoiseReport;
import io.structflow.examples.pnp.ImageSets;
import io.structflow.examples.support.OptionRanges;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.SparkOption;
import io.structflow.examples.support.TakesSharedOptions;
import io.structflow.imaging.denoisers.FlowDenoiser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * [M-slides] "Denoising Performance": PSNR of TV, the averaged Euler gradient-step denoiser, its
 * RK4 variant and DnCNN on held-out images, and the repeated application {@code D^k(y)} that
 * separates the constrained denoiser (stable) from the unconstrained one (drifting)
 * ({@link DenoiseExperiment}).
 */
@Command(name = "denoise", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = {"Gaussian denoising with a 1-Lipschitz (averaged) network of explicit Euler gradient steps "
                + "x - tau K^T ReLU(Kx + b), its RK4 variant and DnCNN, against TV; PSNR on held-out images and "
                + "repeated application ([M-slides], Denoising Performance).",
                "Default: the full protocol (~10 min on 2 cores); --quick: a short run with the same outputs."})
final class DenoiseCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Mixin
    DenoiserTrainingOptions training;

    @Option(names = "--sigma", defaultValue = "0.1", description = "noise level on the [0,1] scale (default ${DEFAULT-VALUE})")
    double sigma;

    @Option(names = "--rk4-steps", description = "fine-tuning steps of the RK4 variant from the Euler parameters (default steps/4)")
    Integer rk4Steps;

    @Option(names = "--dncnn-features", defaultValue = "32", description = "DnCNN hidden channels (default ${DEFAULT-VALUE})")
    int dncnnFeatures;

    @Option(names = "--dncnn-depth", defaultValue = "4", description = "DnCNN convolutions (default ${DEFAULT-VALUE})")
    int dncnnDepth;

    @Option(names = "--test-size", description = "side of the centre crop of each test image (default 128; quick 48; fmnist 28)")
    Integer testSize;

    @Option(names = "--repeats", description = "largest number of repeated applications (default 200; quick 20)")
    Integer repeats;

    @Option(names = "--self-ensemble", description = "also report each learned denoiser averaged over the 8 symmetries of "
            + "the square (flips and transposition; same Lipschitz bound and averagedness, 8x the evaluation cost)")
    boolean selfEnsemble;

    @Mixin
    SparkOption spark;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return DenoiserTrainingOptions.sharedOptionUse();
    }

    @Override
    public Integer call() throws Exception {
        boolean quick = shared.quick();
        training.validate(quick);
        int runs = shared.runs();
        int nSteps = training.trainingSteps(quick);
        int nRk4 = OptionRanges.atLeast("--rk4-steps", rk4Steps != null ? rk4Steps : nSteps / 4, 0);
        int side = OptionRanges.atLeast("--test-size", training.imageSide(testSize, quick), 8);
        int nRepeats = OptionRanges.atLeast("--repeats", repeats != null ? repeats : quick ? 20 : 200, 1);
        OptionRanges.positive("--sigma", sigma);
        OptionRanges.atLeast("--dncnn-features", dncnnFeatures, 1);
        OptionRanges.atLeast("--dncnn-depth", dncnnDepth, 1);
        FlowDenoiser.Architecture arch = training.architecture();
        // TV weights to choose from: a grid in proportion to σ (the best weight grows about linearly
        // with the noise level: 0.03 at σ = 0.05, 0.08 at σ = 0.1), 0.02 … 0.17 at σ = 0.1
        double[] lambdas = {0.02, 0.03, 0.045, 0.06, 0.08, 0.1, 0.13, 0.17};
        for (int i = 0; i < lambdas.length; i++) {
            lambdas[i] *= sigma / 0.1;
        }
        List<DenoiseExperiment.Config> configs = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            configs.add(new DenoiseExperiment.Config(sigma, arch, dncnnFeatures, dncnnDepth, training.schedule(shared, sigma, r),
                    nRk4, nRepeats, lambdas, quick ? 60 : 200, quick ? 2 : 4, quick ? 5 : 20, shared.dtype(), selfEnsemble));
        }
        spark.check();
        ImageSets images = training.images(side, 8);
        Path out = shared.prepareOut();
        System.out.printf("denoise: sigma = %.3g, data %s, train %s, test %s (centre %d×%d crops)%n", sigma, training.data,
                images.trainNames().size() <= 10 ? images.trainNames() : images.trainNames().size() + " images",
                images.testNames().size() <= 10 ? images.testNames() : images.testNames().size() + " images", side, side);
        List<DenoiseExperiment.Result> results = new ArrayList<>();
        long start = System.nanoTime();
        if (spark.enabled()) {
            JavaSparkContext sc = spark.open("denoise");
            try {
                results = DenoiseOnSpark.run(sc, configs, images);
            } finally {
                sc.stop();
            }
        } else {
            try (Progress bar = new Progress("denoise", (long) runs * (2L * nSteps + nRk4))) {
                for (DenoiseExperiment.Config config : configs) {
                    results.add(DenoiseExperiment.run(config, images, t -> bar.step()));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ReportWriter.write(DenoiseReport.of(configs.get(0), training.data, images, training.toMap(shared), results, seconds),
                out, System.out);
        return 0;
    }
}
