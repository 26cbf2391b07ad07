package io.structflow.examples.pnp;

import io.structflow.core.autodiff.Tensor;
import io.structflow.examples.support.Plots;
import io.structflow.examples.support.Report;
import io.structflow.examples.support.Table;
import io.structflow.imaging.ImageIo;
import org.knowm.xchart.XYChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The denoising experiment's report: PSNR per method beside the slides', the denoisers' Lipschitz
 * figures, the quality bars, the repeated application {@code D^k(y)}, the image strips and the
 * training losses.
 */
public final class DenoiseReport {
    /** The slides' PSNR on BSDS500 (dB). */
    static final Map<String, Double> SLIDES = Map.of("tv", 25.8, "euler", 27.6, "dncnn", 27.1, "rk4", 27.5);

    private DenoiseReport() {
    }

    /**
     * The report of {@code results}, one per run of {@code config} (seeds differing).
     *
     * @param data     the {@code --data} the images came from
     * @param images   the training and test images
     * @param protocol the training protocol, snake_case, for results.json
     * @param seconds  wall-clock time of all runs
     */
    public static Report of(DenoiseExperiment.Config config, String data, ImageSets images, Map<String, Object> protocol,
                            List<DenoiseExperiment.Result> results, double seconds) {
        DenoiseExperiment.Result first = results.get(0);
        Map<String, Double> psnr = meanOverRuns(results, DenoiseExperiment.Result::psnr);
        Map<String, List<Double>> psnrRuns = new LinkedHashMap<>();
        for (String m : DenoiseExperiment.METHODS) {
            psnrRuns.put(m, results.stream().map(res -> res.psnr().get(m)).toList());
        }
        Report report = new Report().table(methodTable(first, psnr))
                .line(String.format("TV weight lambda = %.3g (best PSNR on the first training image); Euler N_theta is "
                        + "%.4f-averaged; %d run(s), %.0f s", first.tvLambda(), first.averagedness(), results.size(), seconds));
        double gapTv = psnr.get("euler") - psnr.get("tv");
        double gapDncnn = psnr.get("dncnn") - psnr.get("euler");
        report.line(String.format("quality bars: Euler − TV = %+.2f dB (want > 0): %s; DnCNN − Euler = %+.2f dB (want ≤ 0.5): %s",
                gapTv, gapTv > 0 ? "met" : "NOT met", gapDncnn, gapDncnn <= 0.5 ? "met" : "NOT met"));
        Map<String, Double> psnrSelfEnsemble = meanOverRuns(results, DenoiseExperiment.Result::psnrSelfEnsemble);
        if (config.selfEnsemble()) {
            report.line(String.format("self-ensemble (mean over the 8 symmetries of the square): Euler %.2f, RK4 %.2f, "
                    + "DnCNN %.2f dB; Euler − TV = %+.2f dB, DnCNN − Euler = %+.2f dB", psnrSelfEnsemble.get("euler"),
                    psnrSelfEnsemble.get("rk4"), psnrSelfEnsemble.get("dncnn"), psnrSelfEnsemble.get("euler") - psnr.get("tv"),
                    psnrSelfEnsemble.get("dncnn") - psnrSelfEnsemble.get("euler")));
        }
        report.line("PSNR (dB) of D^k(y) on " + images.testNames().get(0) + ":").table(repeatTable(first));

        report.put("noise_sigma", config.sigma())
                .put("data", data)
                .put("train_images", images.trainNames())
                .put("test_images", images.testNames())
                .put("test_size", images.testSide())
                .put("psnr", psnr)
                .put("psnr_runs", psnrRuns);
        if (config.selfEnsemble()) {
            report.put("psnr_self_ensemble", psnrSelfEnsemble);
        }
        Map<String, Object> models = new LinkedHashMap<>();
        for (DenoiseExperiment.Model m : first.models().values()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("parameters", m.parameters());
            mm.put("train_seconds", m.trainSeconds());
            mm.put("final_loss", m.finalLoss());
            mm.put("lipschitz_bound", Double.isFinite(m.lipschitzBound()) ? m.lipschitzBound() : null);
            mm.put("empirical_lipschitz_ratio", m.empiricalLipschitz());
            mm.put("jacobian_norm", m.jacobianNorm());
            models.put(m.name(), mm);
        }
        Map<String, Object> repeatedJson = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : first.repeatPsnr().entrySet()) {
            Map<String, Double> at = new LinkedHashMap<>();
            at.put("k1", e.getValue()[1]);
            for (int k : first.repeatCounts()) {
                at.put("k" + k, e.getValue()[k]);
            }
            repeatedJson.put(e.getKey(), at);
        }
        Map<String, Object> fullProtocol = new LinkedHashMap<>(protocol);
        fullProtocol.put("rk4_steps", config.rk4Steps());
        fullProtocol.put("dncnn_features", config.dncnnFeatures());
        fullProtocol.put("dncnn_depth", config.dncnnDepth());
        fullProtocol.put("repeats", config.repeats());
        fullProtocol.put("self_ensemble", config.selfEnsemble());
        return report.put("psnr_per_image", first.psnrPerImage())
                .put("slides_psnr_bsds500", SLIDES)
                .put("tv_lambda", first.tvLambda())
                .put("models", models)
                .put("euler_averagedness", first.averagedness())
                .put("euler_steps", first.steps())
                .put("repeated_psnr", repeatedJson)
                .put("repeated_psnr_noisy", first.repeatPsnr().get("euler")[0])
                .put("quality_euler_minus_tv_db", gapTv)
                .put("quality_dncnn_minus_euler_db", gapDncnn)
                .put("protocol", fullProtocol)
                .put("seconds", seconds)
                .figure(dir -> strips(first, dir))
                .figure(dir -> List.of(repeatedPlot(first, config.sigma(), dir), lossPlot(first, dir)));
    }

    private static Table methodTable(DenoiseExperiment.Result first, Map<String, Double> psnr) {
        Table table = new Table("method", "PSNR (dB)", "slides (BSDS500)", "parameters", "Lipschitz bound", "empirical ratio",
                "‖J‖₂ (power it.)", "train s");
        for (String m : DenoiseExperiment.METHODS) {
            DenoiseExperiment.Model model = first.models().get(m);
            table.row(m, String.format("%.2f", psnr.get(m)), SLIDES.containsKey(m) ? String.format("%.1f", SLIDES.get(m)) : "-",
                    model == null ? "-" : model.parameters(),
                    model == null ? "-" : Double.isFinite(model.lipschitzBound()) ? String.format("%.4g", model.lipschitzBound()) : "none",
                    model == null ? "-" : String.format("%.4f", model.empiricalLipschitz()),
                    model == null ? "-" : String.format("%.4f", model.jacobianNorm()),
                    model == null ? "-" : String.format("%.0f", model.trainSeconds()));
        }
        return table;
    }

    private static Table repeatTable(DenoiseExperiment.Result first) {
        List<String> header = new ArrayList<>(List.of("method", "k = 0 (noisy)", "k = 1"));
        for (int k : first.repeatCounts()) {
            header.add("k = " + k);
        }
        Table rep = new Table(header.toArray(new String[0]));
        for (Map.Entry<String, double[]> e : first.repeatPsnr().entrySet()) {
            List<Object> row = new ArrayList<>();
            row.add(e.getKey());
            row.add(String.format("%.2f", e.getValue()[0]));
            row.add(String.format("%.2f", e.getValue()[1]));
            for (int k : first.repeatCounts()) {
                row.add(String.format("%.2f", e.getValue()[k]));
            }
            rep.row(row.toArray());
        }
        return rep;
    }

    private static List<Path> strips(DenoiseExperiment.Result r, Path out) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Tensor> strip = new ArrayList<>();
        strip.add(r.images().get("clean"));
        for (String m : DenoiseExperiment.METHODS) {
            strip.add(r.images().get(m));
        }
        files.add(out.resolve("denoise_strip.png"));
        ImageIo.writeStrip(strip, files.get(0), 4);
        for (Map.Entry<String, List<Tensor>> e : r.repeated().entrySet()) {
            List<Tensor> row = new ArrayList<>();
            row.add(r.images().get("clean"));
            row.add(r.images().get("noisy"));
            row.add(r.images().get(e.getKey()));
            row.addAll(e.getValue());
            Path file = out.resolve("repeated_" + e.getKey() + ".png");
            ImageIo.writeStrip(row, file, 4);
            files.add(file);
        }
        return files;
    }

    private static Path repeatedPlot(DenoiseExperiment.Result first, double sigma, Path dir) throws IOException {
        XYChart chart = Plots.lineChart("Repeated application D^k(y), sigma = " + sigma, "k (applications)", "PSNR (dB)");
        chart.getStyler().setXAxisLogarithmic(true);
        for (Map.Entry<String, double[]> e : first.repeatPsnr().entrySet()) {
            double[] curve = e.getValue();
            double[] x = new double[curve.length - 1];
            double[] y = new double[curve.length - 1];
            for (int k = 1; k < curve.length; k++) {
                x[k - 1] = k;
                y[k - 1] = Math.max(curve[k], -20);
            }
            Plots.addLine(chart, e.getKey(), x, y);
        }
        return Plots.save(chart, dir, "repeated_psnr");
    }

    private static Path lossPlot(DenoiseExperiment.Result first, Path dir) throws IOException {
        XYChart loss = Plots.lineChart("Training loss (MSE, moving mean of 25 steps)", "step", "loss");
        loss.getStyler().setYAxisLogarithmic(true);
        for (DenoiseExperiment.Model m : first.models().values()) {
            if (m.losses().length > 0) {
                double[][] xy = smoothed(m.losses(), 25);
                Plots.addLine(loss, m.name(), xy[0], xy[1]);
            }
        }
        return Plots.save(loss, dir, "training_loss");
    }

    /** Per key of the first run's {@code metric}, the mean of its values over all runs. */
    private static Map<String, Double> meanOverRuns(List<DenoiseExperiment.Result> results,
                                                    Function<DenoiseExperiment.Result, Map<String, Double>> metric) {
        Map<String, Double> mean = new LinkedHashMap<>();
        for (String key : metric.apply(results.get(0)).keySet()) {
            double sum = 0;
            for (DenoiseExperiment.Result res : results) {
                sum += metric.apply(res).get(key);
            }
            mean.put(key, sum / results.size());
        }
        return mean;
    }

    private static double[][] smoothed(double[] v, int window) {
        int n = v.length;
        double[] x = new double[n];
        double[] y = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += v[i];
            if (i >= window) {
                s -= v[i - window];
            }
            x[i] = i + 1;
            y[i] = s / Math.min(i + 1, window);
        }
        return new double[][] {x, y};
    }
}
