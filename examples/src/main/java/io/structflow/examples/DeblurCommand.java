package io.structflow.examples;

import io.structflow.examples.pnp.DeblurExperiment;
import io.structflow.examples.pnp.FlowDenoiser;
import io.structflow.examples.pnp.ImageSets;
import io.structflow.examples.pnp.PatchTrainer;
import io.structflow.examples.support.DataTypeConverter;
import io.structflow.examples.support.Plots;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.Results;
import io.structflow.examples.support.Table;
import io.structflow.layers.inverse.ImageIo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
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
    @Option(names = "--data", defaultValue = "skimage", description = "skimage (natural images), fmnist, or a directory with train/ and test/ folders of PNG or JPEG images, e.g. BSDS500's data/images (default ${DEFAULT-VALUE})")
    String data;

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

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--runs", defaultValue = "1", description = "independent runs (seeds seed, seed+1, …) (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = {"--steps", "--epochs"}, description = "training steps of the denoiser (default 1500; quick 60)")
    Integer steps;

    @Option(names = "--batch", defaultValue = "16", description = "patches per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--patch", description = "training patch side (default 32; quick 24; fmnist 28)")
    Integer patch;

    @Option(names = "--lr", defaultValue = "2e-3", description = "initial Adam learning rate (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--channels", defaultValue = "8", description = "lifted channels C (default ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--hidden", defaultValue = "32", description = "channels m of each K_i (default ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--layers", defaultValue = "8", description = "gradient steps (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--size", description = "side of the centre crop deblurred (default 128; quick 48; fmnist 28)")
    Integer size;

    @Option(names = "--dtype", defaultValue = "float32", converter = DataTypeConverter.class,
            description = "float32 or float64 (default ${DEFAULT-VALUE})")
    DataType dtype;

    @Option(names = "--quick", description = "short run: small patches and image, few training steps")
    boolean quick;

    @Option(names = "--out", defaultValue = "out/deblur", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        ImageSets.Source source = ImageSets.Source.parse(data);
        boolean fmnist = source == ImageSets.Source.FMNIST;
        int nSteps = steps != null ? steps : quick ? 60 : 1500;
        int nIterations = iterations != null ? iterations : quick ? 200 : 1000;
        int side = size != null ? size : fmnist ? 28 : quick ? 48 : 128;
        int p = patch != null ? patch : fmnist ? 28 : quick ? 24 : 32;
        if (nSteps < 1 || nIterations < 1 || runs < 1 || batch < 1) {
            throw new IllegalArgumentException("--steps, --iterations, --runs, --batch: expected ≥ 1 but got " + nSteps
                    + ", " + nIterations + ", " + runs + ", " + batch);
        }
        if (!(stepFraction > 0 && stepFraction < 1)) {
            throw new IllegalArgumentException("--step-fraction: expected a value in (0, 1) (τ below 2/‖K‖²) but got "
                    + stepFraction);
        }
        if (!(noise >= 0) || !(denoiserSigma > 0) || !(lr > 0)) {
            throw new IllegalArgumentException("--noise, --denoiser-sigma, --lr: expected ≥ 0, > 0, > 0 but got " + noise
                    + ", " + denoiserSigma + ", " + lr);
        }
        ImageSets images = ImageSets.load(data, side, 1, DataType.DOUBLE);
        FlowDenoiser.Architecture arch = new FlowDenoiser.Architecture(channels, hidden, layers, 3);
        System.out.printf("deblur: motion blur %d px at %.0f°, noise %.3g, %s %d×%d; denoiser trained at sigma %.3g%n",
                blurLength, blurAngle, noise, images.testNames().get(0), side, side, denoiserSigma);
        DeblurExperiment.Result first = null;
        double sumBlurred = 0;
        double sumPnp = 0;
        double worstChange = 0;
        long start = System.nanoTime();
        try (Progress bar = new Progress("deblur", (long) runs * nSteps)) {
            for (int r = 0; r < runs; r++) {
                PatchTrainer.Settings ts = new PatchTrainer.Settings(nSteps, batch, p, Math.max(batch, quick ? 512 : 4096),
                        lr, denoiserSigma, seed + r);
                DeblurExperiment.Config config = new DeblurExperiment.Config(blurLength, blurAngle, noise, denoiserSigma,
                        arch, ts, stepFraction, nIterations, tolerance, dtype);
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
        protocol.put("steps", nSteps);
        protocol.put("batch", batch);
        protocol.put("patch", p);
        protocol.put("lr", lr);
        protocol.put("channels", channels);
        protocol.put("hidden", hidden);
        protocol.put("layers", layers);
        protocol.put("seed", seed);
        protocol.put("runs", runs);
        protocol.put("dtype", dtype == DataType.DOUBLE ? "float64" : "float32");
        protocol.put("quick", quick);
        json.put("protocol", protocol);
        json.put("seconds", seconds);
        Results.write(out, json);
        System.out.println("wrote " + out.resolve("results.json") + ", deblur_strip.png, pnp_convergence.png, pnp_psnr.png");
        return 0;
    }
}
