package io.structflow.examples;

import io.structflow.examples.pnp.DeblurExperiment;
import io.structflow.examples.pnp.DeblurReport;
import io.structflow.examples.pnp.ImageSets;
import io.structflow.examples.support.OptionRanges;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
import io.structflow.imaging.denoisers.FlowDenoiser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * [M-slides] "Convergence of the PnP iterations": motion deblurring by plug-and-play proximal
 * gradient {@code xₖ₊₁ = Γ(xₖ − τKᵀ(Kxₖ − y))} with the averaged Euler gradient-step denoiser Γ;
 * prints the PSNR of the blurred input and of the reconstruction and plots
 * {@code ‖xₖ₊₁ − xₖ‖} on a log scale.
 */
@Command(name = "deblur", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = {"Plug-and-play motion deblurring with a 1-Lipschitz (averaged) Euler gradient-step denoiser: "
                + "PSNR gain and convergence of ||x_{k+1} - x_k|| ([M-slides], Convergence of the PnP iterations).",
                "Default: the full protocol (a few minutes on 2 cores); --quick: a short run with the same outputs."})
final class DeblurCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Mixin
    DenoiserTrainingOptions training;

    @Option(names = "--blur-length", defaultValue = "9", description = "motion blur length in pixels (default ${DEFAULT-VALUE})")
    int blurLength;

    @Option(names = "--blur-angle", defaultValue = "45", description = "motion direction in degrees (default ${DEFAULT-VALUE})")
    double blurAngle;

    @Option(names = "--noise", defaultValue = "0.01", description = "measurement noise sigma_y (default ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--denoiser-sigma", defaultValue = "0.03", description = "noise level the denoiser is trained for (default ${DEFAULT-VALUE})")
    double denoiserSigma;

    @Option(names = "--step-fraction", defaultValue = "0.95", description = "tau as a fraction of 2/||K||^2 (default ${DEFAULT-VALUE})")
    double stepFraction;

    @Option(names = "--iterations", description = "PnP iteration budget (default 1000; quick 200)")
    Integer iterations;

    @Option(names = "--tolerance", defaultValue = "1e-6", description = "stop at this relative change (default ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--size", description = "side of the centre crop deblurred (default 128; quick 48; fmnist 28)")
    Integer size;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return DenoiserTrainingOptions.sharedOptionUse();
    }

    @Override
    public Integer call() throws Exception {
        boolean quick = shared.quick();
        training.validate(quick);
        int runs = shared.runs();
        int nIterations = OptionRanges.atLeast("--iterations", iterations != null ? iterations : quick ? 200 : 1000, 1);
        int side = OptionRanges.atLeast("--size", training.imageSide(size, quick), 8);
        OptionRanges.atLeast("--blur-length", blurLength, 1);
        OptionRanges.finite("--blur-angle", blurAngle);
        if (!(stepFraction > 0 && stepFraction < 1)) {
            throw new IllegalArgumentException("--step-fraction: expected a value in (0, 1) (τ below 2/‖K‖²) but got "
                    + stepFraction);
        }
        OptionRanges.nonNegative("--noise", noise);
        OptionRanges.positive("--denoiser-sigma", denoiserSigma);
        OptionRanges.nonNegative("--tolerance", tolerance);
        FlowDenoiser.Architecture arch = training.architecture();
        List<DeblurExperiment.Config> configs = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            configs.add(new DeblurExperiment.Config(blurLength, blurAngle, noise, denoiserSigma, arch,
                    training.schedule(shared, denoiserSigma, r), stepFraction, nIterations, tolerance, shared.dtype()));
        }
        ImageSets images = training.images(side, 1);
        Path out = shared.prepareOut();
        System.out.printf("deblur: motion blur %d px at %.0f°, noise %.3g, %s %d×%d; denoiser trained at sigma %.3g%n",
                blurLength, blurAngle, noise, images.testNames().get(0), side, side, denoiserSigma);
        List<DeblurExperiment.Result> results = new ArrayList<>();
        long start = System.nanoTime();
        try (Progress bar = new Progress("deblur", (long) runs * training.trainingSteps(quick))) {
            for (DeblurExperiment.Config config : configs) {
                results.add(DeblurExperiment.run(config, images, t -> bar.step()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ReportWriter.write(DeblurReport.of(configs.get(0), images.testNames().get(0), side, training.toMap(shared), results,
                seconds), out, System.out);
        return 0;
    }
}
