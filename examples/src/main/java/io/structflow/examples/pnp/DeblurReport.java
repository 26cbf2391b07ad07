package io.structflow.examples.pnp;

import io.structflow.examples.support.Plots;
import io.structflow.examples.support.Report;
import io.structflow.examples.support.Table;
import io.structflow.imaging.ImageIo;
import io.structflow.imaging.Reconstruction;
import org.knowm.xchart.XYChart;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The deblurring experiment's report: PSNR of the blurred image and of the plug-and-play
 * reconstruction beside the slides', the convergence of the iterates, the image strip and the plots.
 */
public final class DeblurReport {
    private DeblurReport() {
    }

    /**
     * The report of {@code results}, one per run of {@code config} (seeds differing); the first run's
     * iteration is shown.
     *
     * @param image    name of the deblurred test image
     * @param side     side of its centre crop
     * @param protocol the denoiser's training protocol, snake_case, for results.json
     * @param seconds  wall-clock time of all runs
     */
    public static Report of(DeblurExperiment.Config config, String image, int side, Map<String, Object> protocol,
                            List<DeblurExperiment.Result> results, double seconds) {
        DeblurExperiment.Result first = results.get(0);
        double psnrBlurred = results.stream().mapToDouble(DeblurExperiment.Result::psnrBlurred).average().orElseThrow();
        double psnrPnp = results.stream().mapToDouble(DeblurExperiment.Result::psnrPnp).average().orElseThrow();
        double worstChange = results.stream().mapToDouble(DeblurExperiment.Result::finalRelativeChange).max().orElseThrow();
        Reconstruction rec = first.reconstruction();
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

        Map<String, Object> fullProtocol = new LinkedHashMap<>();
        fullProtocol.put("image", image);
        fullProtocol.put("size", side);
        fullProtocol.put("blur_length", config.blurLength());
        fullProtocol.put("blur_angle", config.blurAngle());
        fullProtocol.put("noise", config.noiseSigma());
        fullProtocol.put("denoiser_sigma", config.denoiserSigma());
        fullProtocol.put("step_fraction", config.stepFraction());
        fullProtocol.put("max_iterations", config.maxIterations());
        fullProtocol.put("tolerance", config.tolerance());
        fullProtocol.putAll(protocol);
        double[] changes = rec.changes();
        return new Report().table(table)
                .line(String.format("%d run(s), %.0f s", results.size(), seconds))
                .put("psnr_blurred", psnrBlurred)
                .put("psnr_pnp", psnrPnp)
                .put("psnr_gain", psnrPnp - psnrBlurred)
                .put("final_relative_change", worstChange)
                .put("iterations", rec.iterations())
                .put("stop_reason", rec.stopReason().name())
                .put("max_change_ratio", first.maxChangeRatio())
                .put("tau", first.tau())
                .put("norm_k_squared", first.lipschitzOfGradient())
                .put("denoiser_parameters", first.denoiserParameters())
                .put("denoiser_psnr", first.denoiserPsnr())
                .put("denoiser_train_seconds", first.trainSeconds())
                .put("changes", changes)
                .put("slides", Map.of("psnr_blurred", 15.6, "psnr_pnp", 30.6))
                .put("protocol", fullProtocol)
                .put("seconds", seconds)
                .figure(dir -> {
                    XYChart chart = Plots.lineChart("Convergence of the PnP iterations", "iteration k", "||x_{k+1} - x_k||");
                    chart.getStyler().setYAxisLogarithmic(true);
                    Plots.addLine(chart, "PnP with the Euler denoiser",
                            IntStream.rangeClosed(1, changes.length).asDoubleStream().toArray(),
                            Arrays.stream(changes).map(c -> Math.max(c, 1e-16)).toArray());
                    XYChart pc = Plots.lineChart("PSNR of the PnP iterates", "iteration k", "PSNR (dB)");
                    Plots.addLine(pc, "x_k", IntStream.range(0, rec.psnr().length).asDoubleStream().toArray(), rec.psnr());
                    Path strip = dir.resolve("deblur_strip.png");
                    ImageIo.writeStrip(List.of(first.clean(), first.blurred(), rec.x()), strip, 4);
                    return List.of(Plots.save(chart, dir, "pnp_convergence"), Plots.save(pc, dir, "pnp_psnr"), strip);
                });
    }
}
