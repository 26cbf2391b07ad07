package io.structflow.examples;

import io.structflow.examples.pnp.DeblurExperiment;
import io.structflow.imaging.denoisers.FlowDenoiser;
import io.structflow.examples.pnp.ImageSets;
import io.structflow.imaging.denoisers.PatchTrainer;
import io.structflow.examples.support.Plots;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.Results;
import io.structflow.examples.support.Table;
import io.structflow.imaging.ImageIo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * [M-slides] "Convergence of the PnP iterations": motion deblurring by plug-and-play proximal
 * gradient {@code xₖ₊₁ = Γ(xₖ − τKᵀ(Kxₖ − y))} with the averaged Euler gradient-step denoiser Γ;
 * prints the PSNR of the blurred input and of the reconstruction and plots
 * {@code ‖xₖ₊₁ − xₖ‖} on a log scale.
 */
@Command(name = "deblur", mixinStandardHelpOptions = true,
        description = {"Plug-and-play motion deblurring with a 1-Lipschitz (averaged) Euler gradient-step denoiser: "
                + "PSNR gain and convergence of ||x_{k+1} - x_k|| ([M-slides], Convergence of the PnP iterations).",
                "Default: the full protocol (a few minutes on 2 cores); --quick: a short run with the same outputs."})
final class DeblurCommand implements Callable<Integer> {
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

    @Option(names = "--out", defaultValue = "out/deblur", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        training.validate();
        boolean quick = training.quick;
        int runs = training.runs;
        int nIterations = DenoiserTrainingOptions.positive("--iterations",
                iterations != null ? iterations : quick ? 200 : 1000);
        int side = training.imageSide(size);
        if (!(stepFraction > 0 && stepFraction < 1)) {
            throw new IllegalArgumentException("--step-fraction: expected a value in (0, 1) (τ below 2/‖K‖²) but got "
                    + stepFraction);
        }
        if (!(noise >= 0) || !(denoiserSigma > 0) || !Double.isFinite(noise) || !Double.isFinite(denoiserSigma)) {
            throw new IllegalArgumentException("--noise, --denoiser-sigma: expected finite values ≥ 0 and > 0 but got "
                    + noise + ", " + denoiserSigma);
        }
        FlowDenoiser.Architecture arch = training.architecture();
        ImageSets images = ImageSets.load(training.data, side, 1, DataType.DOUBLE);
        System.out.printf("deblur: motion blur %d px at %.0f°, noise %.3g, %s %d×%d; denoiser trained at sigma %.3g%n",
                blurLength, blurAngle, noise, images.testNames().get(0), side, side, denoiserSigma);
        DeblurExperiment.Result first = null;
        double sumBlurred = 0;
        double sumPnp = 0;
        double worstChange = 0;
        long start = System.nanoTime();
        try (Progress bar = new Progress("deblur", (long) runs * training.trainingSteps())) {
            for (int r = 0; r < runs; r++) {
                PatchTrainer.Settings ts = training.schedule(denoiserSigma, r);
                DeblurExperiment.Config config = new DeblurExperiment.Config(blurLength, blurAngle, noise, denoiserSigma,
                        arch, ts, stepFraction, nIterations, tolerance, training.dtype);
                DeblurExperiment.Result res = DeblurExperiment.run(config, images, t -> bar.step());
                if (first == null) {
                    first = res;
                }
                sumBlurred += res.psnrBlurred();
                sumPnp += res.psnrPnp();
                worstChange = Math.max(worstChange, res.finalRelativeChange());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double psnrBlurred = sumBlurred / runs;
        double psnrPnp = sumPnp / runs;
        var rec = first.reconstruction();
        Table table = new Table("quantity", "value", "slides");
        table.row("PSNR blurred (dB)", String.format("%.2f", psnrBlurred), "15.6");
        table.row("PSNR PnP (dB)", String.format("%.2f", psnrPnp), "30.6");
        table.row("PSNR gain (dB)", String.format("%+.2f", psnrPnp - psnrBlurred), "+15.0");
        table.row("iterations", rec.iterations(), "-");
        table.row("stop reason", rec.stopReason(), "-");
        table.row("final ‖x_{k+1} − x_k‖/‖x_{k+1}‖", String.format("%.3g", worstChange), "-");
        table.row("max_k ‖x_{k+1} − x_k‖/‖x_k − x_{k−1}‖", String.format("%.6f", first.maxChangeRatio()), "≤ 1");
        table.row("τ (bound 2/(Σ|k|)² = 2)", String.format("%.4g", first.tau()), "-");
        table.row("‖K‖² (power iteration)", String.format("%.6f", first.lipschitzOfGradient()), "-");
        table.row("denoiser parameters", first.denoiserParameters(), "-");
        table.row("denoiser PSNR at its sigma (dB)", String.format("%.2f", first.denoiserPsnr()), "-");
        System.out.print(table);
        System.out.printf("%d run(s), %.0f s%n", runs, seconds);

        double[] changes = rec.changes();
        double[] k = new double[changes.length];
        double[] y = new double[changes.length];
        for (int i = 0; i < changes.length; i++) {
            k[i] = i + 1;
            y[i] = Math.max(changes[i], 1e-16);
        }
        XYChart chart = Plots.lineChart("Convergence of the PnP iterations", "iteration k", "||x_{k+1} - x_k||");
        chart.getStyler().setYAxisLogarithmic(true);
        Plots.addLine(chart, "PnP with the Euler denoiser", k, y);
        Plots.save(chart, out, "pnp_convergence");
        double[] psnrCurve = rec.psnr();
        double[] kk = new double[psnrCurve.length];
        for (int i = 0; i < kk.length; i++) {
            kk[i] = i;
        }
        XYChart pc = Plots.lineChart("PSNR of the PnP iterates", "iteration k", "PSNR (dB)");
        Plots.addLine(pc, "x_k", kk, psnrCurve);
        Plots.save(pc, out, "pnp_psnr");
        ImageIo.writeStrip(List.of(first.clean(), first.blurred(), rec.x()), out.resolve("deblur_strip.png"), 4);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("psnr_blurred", psnrBlurred);
        json.put("psnr_pnp", psnrPnp);
        json.put("psnr_gain", psnrPnp - psnrBlurred);
        json.put("final_relative_change", worstChange);
        json.put("iterations", rec.iterations());
        json.put("stop_reason", rec.stopReason().name());
        json.put("max_change_ratio", first.maxChangeRatio());
        json.put("tau", first.tau());
        json.put("norm_k_squared", first.lipschitzOfGradient());
        json.put("denoiser_parameters", first.denoiserParameters());
        json.put("denoiser_psnr", first.denoiserPsnr());
        json.put("denoiser_train_seconds", first.trainSeconds());
        json.put("changes", changes);
        json.put("slides", Map.of("psnr_blurred", 15.6, "psnr_pnp", 30.6));
        Map<String, Object> protocol = new LinkedHashMap<>();
        protocol.put("image", images.testNames().get(0));
        protocol.put("size", side);
        protocol.put("blur_length", blurLength);
        protocol.put("blur_angle", blurAngle);
        protocol.put("noise", noise);
        protocol.put("denoiser_sigma", denoiserSigma);
        protocol.put("step_fraction", stepFraction);
        protocol.put("max_iterations", nIterations);
        protocol.put("tolerance", tolerance);
        protocol.putAll(training.toMap());
        json.put("protocol", protocol);
        json.put("seconds", seconds);
        Results.write(out, json);
        System.out.println("wrote " + out.resolve("results.json") + ", deblur_strip.png, pnp_convergence.png, pnp_psnr.png");
        return 0;
    }
}
