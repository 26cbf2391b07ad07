package io.structflow.examples;

import io.structflow.core.autodiff.Tensor;
import io.structflow.examples.pnp.DenoiseExperiment;
import io.structflow.imaging.denoisers.FlowDenoiser;
import io.structflow.examples.pnp.ImageSets;
import io.structflow.imaging.denoisers.PatchTrainer;
import io.structflow.examples.support.Plots;
import io.structflow.examples.support.Progress;
import io.structflow.examples.support.Results;
import io.structflow.examples.support.Table;
import io.structflow.imaging.ImageIo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * [M-slides] "Denoising Performance": PSNR of TV, the averaged Euler gradient-step denoiser, its
 * RK4 variant and DnCNN on held-out images, and the repeated application {@code D^k(y)} that
 * separates the constrained denoiser (stable) from the unconstrained one (drifting).
 */
@Command(name = "denoise", mixinStandardHelpOptions = true,
        description = {"Gaussian denoising with a 1-Lipschitz (averaged) network of explicit Euler gradient steps "
                + "x - tau K^T ReLU(Kx + b), its RK4 variant and DnCNN, against TV; PSNR on held-out images and "
                + "repeated application ([M-slides], Denoising Performance).",
                "Default: the full protocol (~10 min on 2 cores); --quick: a short run with the same outputs."})
final class DenoiseCommand implements Callable<Integer> {
    /** The slides' PSNR on BSDS500 (dB). */
    static final Map<String, Double> SLIDES = Map.of("tv", 25.8, "euler", 27.6, "dncnn", 27.1, "rk4", 27.5);

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

    @Option(names = "--out", defaultValue = "out/denoise", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        training.validate();
        boolean quick = training.quick;
        int runs = training.runs;
        int nSteps = training.trainingSteps();
        int nRk4 = rk4Steps != null ? rk4Steps : nSteps / 4;
        int side = training.imageSide(testSize);
        int nRepeats = DenoiserTrainingOptions.positive("--repeats", repeats != null ? repeats : quick ? 20 : 200);
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("--sigma: expected a finite value > 0 but got " + sigma);
        }
        if (nRk4 < 0) {
            throw new IllegalArgumentException("--rk4-steps: expected ≥ 0 but got " + nRk4);
        }
        FlowDenoiser.Architecture arch = training.architecture();
        ImageSets images = ImageSets.load(training.data, side, 8, DataType.DOUBLE);
        // TV weights to choose from: a grid in proportion to σ (the best weight grows about linearly
        // with the noise level: 0.03 at σ = 0.05, 0.08 at σ = 0.1), 0.02 … 0.17 at σ = 0.1
        double[] lambdas = {0.02, 0.03, 0.045, 0.06, 0.08, 0.1, 0.13, 0.17};
        for (int i = 0; i < lambdas.length; i++) {
            lambdas[i] *= sigma / 0.1;
        }
        System.out.printf("denoise: sigma = %.3g, data %s, train %s, test %s (centre %d×%d crops)%n", sigma,
                training.data,
                images.trainNames().size() <= 10 ? images.trainNames() : images.trainNames().size() + " images",
                images.testNames().size() <= 10 ? images.testNames() : images.testNames().size() + " images", side, side);

        List<DenoiseExperiment.Result> results = new ArrayList<>();
        long total = (long) runs * (2L * nSteps + nRk4);
        long start = System.nanoTime();
        try (Progress bar = new Progress("denoise", total)) {
            for (int r = 0; r < runs; r++) {
                PatchTrainer.Settings ts = training.schedule(sigma, r);
                DenoiseExperiment.Config config = new DenoiseExperiment.Config(sigma, arch, dncnnFeatures, dncnnDepth, ts,
                        nRk4, nRepeats, lambdas, quick ? 60 : 200, quick ? 2 : 4, quick ? 5 : 20, training.dtype,
                        selfEnsemble);
                results.add(DenoiseExperiment.run(config, images, t -> bar.step()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        DenoiseExperiment.Result first = results.get(0);

        Map<String, Double> psnr = meanOverRuns(results, DenoiseExperiment.Result::psnr);
        Map<String, List<Double>> psnrRuns = new LinkedHashMap<>();
        for (String m : DenoiseExperiment.METHODS) {
            psnrRuns.put(m, results.stream().map(res -> res.psnr().get(m)).toList());
        }

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
        System.out.print(table);
        System.out.printf("TV weight lambda = %.3g (best PSNR on the first training image); Euler N_theta is %.4f-averaged; "
                + "%d run(s), %.0f s%n", first.tvLambda(), first.averagedness(), runs, seconds);
        double gapTv = psnr.get("euler") - psnr.get("tv");
        double gapDncnn = psnr.get("dncnn") - psnr.get("euler");
        System.out.printf("quality bars: Euler − TV = %+.2f dB (want > 0): %s; DnCNN − Euler = %+.2f dB (want ≤ 0.5): %s%n",
                gapTv, gapTv > 0 ? "met" : "NOT met", gapDncnn, gapDncnn <= 0.5 ? "met" : "NOT met");
        Map<String, Double> psnrSelfEnsemble = meanOverRuns(results, DenoiseExperiment.Result::psnrSelfEnsemble);
        if (selfEnsemble) {
            System.out.printf("self-ensemble (mean over the 8 symmetries of the square): Euler %.2f, RK4 %.2f, DnCNN %.2f dB; "
                    + "Euler − TV = %+.2f dB, DnCNN − Euler = %+.2f dB%n", psnrSelfEnsemble.get("euler"),
                    psnrSelfEnsemble.get("rk4"), psnrSelfEnsemble.get("dncnn"), psnrSelfEnsemble.get("euler") - psnr.get("tv"),
                    psnrSelfEnsemble.get("dncnn") - psnrSelfEnsemble.get("euler"));
        }

        Table rep = new Table(repeatHeader(first.repeatCounts()));
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
        System.out.println("PSNR (dB) of D^k(y) on " + images.testNames().get(0) + ":");
        System.out.print(rep);

        writeImages(first, out);
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
        Plots.save(chart, out, "repeated_psnr");
        XYChart loss = Plots.lineChart("Training loss (MSE, moving mean of 25 steps)", "step", "loss");
        loss.getStyler().setYAxisLogarithmic(true);
        for (DenoiseExperiment.Model m : first.models().values()) {
            if (m.losses().length > 0) {
                double[][] xy = smoothed(m.losses(), 25);
                Plots.addLine(loss, m.name(), xy[0], xy[1]);
            }
        }
        Plots.save(loss, out, "training_loss");

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("noise_sigma", sigma);
        json.put("data", training.data);
        json.put("train_images", images.trainNames());
        json.put("test_images", images.testNames());
        json.put("test_size", side);
        json.put("psnr", psnr);
        json.put("psnr_runs", psnrRuns);
        if (selfEnsemble) {
            json.put("psnr_self_ensemble", psnrSelfEnsemble);
        }
        json.put("psnr_per_image", first.psnrPerImage());
        json.put("slides_psnr_bsds500", SLIDES);
        json.put("tv_lambda", first.tvLambda());
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
        json.put("models", models);
        json.put("euler_averagedness", first.averagedness());
        json.put("euler_steps", first.steps());
        Map<String, Object> repeatedJson = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : first.repeatPsnr().entrySet()) {
            Map<String, Double> at = new LinkedHashMap<>();
            at.put("k1", e.getValue()[1]);
            for (int k : first.repeatCounts()) {
                at.put("k" + k, e.getValue()[k]);
            }
            repeatedJson.put(e.getKey(), at);
        }
        json.put("repeated_psnr", repeatedJson);
        json.put("repeated_psnr_noisy", first.repeatPsnr().get("euler")[0]);
        json.put("quality_euler_minus_tv_db", gapTv);
        json.put("quality_dncnn_minus_euler_db", gapDncnn);
        Map<String, Object> protocol = new LinkedHashMap<>();
        protocol.putAll(training.toMap());
        protocol.put("rk4_steps", nRk4);
        protocol.put("dncnn_features", dncnnFeatures);
        protocol.put("dncnn_depth", dncnnDepth);
        protocol.put("repeats", nRepeats);
        protocol.put("self_ensemble", selfEnsemble);
        json.put("protocol", protocol);
        json.put("seconds", seconds);
        Results.write(out, json);
        System.out.println("wrote " + out.resolve("results.json") + ", denoise_strip.png, repeated_{euler,rk4,dncnn}.png, "
                + "repeated_psnr.png, training_loss.png");
        return 0;
    }

    private static void writeImages(DenoiseExperiment.Result r, Path out) throws java.io.IOException {
        List<Tensor> strip = new ArrayList<>();
        strip.add(r.images().get("clean"));
        for (String m : DenoiseExperiment.METHODS) {
            strip.add(r.images().get(m));
        }
        ImageIo.writeStrip(strip, out.resolve("denoise_strip.png"), 4);
        for (Map.Entry<String, List<Tensor>> e : r.repeated().entrySet()) {
            List<Tensor> row = new ArrayList<>();
            row.add(r.images().get("clean"));
            row.add(r.images().get("noisy"));
            row.add(r.images().get(e.getKey()));
            row.addAll(e.getValue());
            ImageIo.writeStrip(row, out.resolve("repeated_" + e.getKey() + ".png"), 4);
        }
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

    private static String[] repeatHeader(int[] counts) {
        List<String> h = new ArrayList<>(List.of("method", "k = 0 (noisy)", "k = 1"));
        for (int k : counts) {
            h.add("k = " + k);
        }
        return h.toArray(new String[0]);
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
