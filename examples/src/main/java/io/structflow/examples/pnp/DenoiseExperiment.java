package io.structflow.examples.pnp;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.imaging.Denoiser;
import io.structflow.imaging.DihedralAverage;
import io.structflow.imaging.ImageIo;
import io.structflow.imaging.ImageMetrics;
import io.structflow.imaging.TotalVariation;
import io.structflow.imaging.denoisers.DnCnn;
import io.structflow.imaging.denoisers.FlowDenoiser;
import io.structflow.imaging.denoisers.PatchTrainer;
import io.structflow.layers.verify.Check;
import io.structflow.layers.verify.PropertyChecks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The denoising experiment of [M-slides] ("Denoising Performance"): the structured denoiser
 * {@code Γ = P ∘ N_θ ∘ L} of explicit Euler gradient steps ({@link FlowDenoiser}, averaged and
 * 1-Lipschitz by construction), its RK4 variant (same fields, no guarantee) and the unconstrained
 * DnCNN ({@link DnCnn}) are trained on noisy patches ({@link PatchTrainer}), then compared with
 * total-variation denoising ({@link TotalVariation}, λ chosen on a training image) by PSNR on
 * held-out test crops with Gaussian noise of level σ. Repeated application {@code D^k(y)} of each
 * learned denoiser shows the constrained one settling while the unconstrained one drifts.
 */
public final class DenoiseExperiment {
    /** The methods, in table order. */
    public static final List<String> METHODS = List.of("noisy", "tv", "euler", "rk4", "dncnn");

    /**
     * @param sigma         noise level on the [0, 1] scale
     * @param arch          the Euler/RK4 denoiser's architecture
     * @param dncnnFeatures DnCNN hidden channels
     * @param dncnnDepth    DnCNN convolutions
     * @param training      steps, batch, patch, pool, rate and seed of the Euler and DnCNN training
     *                      (its sigma is replaced by {@code sigma})
     * @param rk4Steps      fine-tuning steps of the RK4 variant, started from the trained Euler
     *                      parameters (0: evaluate the Euler parameters under RK4 as they are)
     * @param repeats       largest number of repeated applications (the curve runs 0 … repeats)
     * @param tvLambdas     candidate TV weights
     * @param tvIterations  Chambolle iterations per TV denoising
     * @param lipschitzRounds random partners per test crop for the empirical Lipschitz ratio
     * @param jacobianIterations power iterations for the Jacobian norm
     * @param type          element type
     * @param selfEnsemble  also measure each learned denoiser averaged over the eight symmetries of
     *                      the square ({@link DihedralAverage}: same Lipschitz bound and averagedness)
     */
    public record Config(double sigma, FlowDenoiser.Architecture arch, int dncnnFeatures, int dncnnDepth,
                         PatchTrainer.Settings training, int rk4Steps, int repeats, double[] tvLambdas,
                         int tvIterations, int lipschitzRounds, int jacobianIterations, DataType type,
                         boolean selfEnsemble) {
        public Config {
            if (!(sigma > 0) || rk4Steps < 0 || repeats < 1 || tvLambdas.length == 0 || tvIterations < 1
                    || lipschitzRounds < 1 || jacobianIterations < 1) {
                throw new IllegalArgumentException("DenoiseExperiment.Config: expected sigma > 0, rk4Steps ≥ 0, "
                        + "repeats ≥ 1, some TV weights, tvIterations, lipschitzRounds, jacobianIterations ≥ 1 but got sigma="
                        + sigma + ", rk4Steps=" + rk4Steps + ", repeats=" + repeats + ", " + tvLambdas.length
                        + " TV weights, tvIterations=" + tvIterations);
            }
        }
    }

    /** One learned denoiser's measurements. */
    public record Model(String name, long parameters, double trainSeconds, double finalLoss, double[] losses,
                        double lipschitzBound, double empiricalLipschitz, double jacobianNorm) {
    }

    /**
     * Everything the command prints and writes.
     *
     * @param psnr          mean PSNR over the test crops per method (dB)
     * @param psnrSelfEnsemble mean PSNR of each learned denoiser averaged over the eight symmetries
     *                      of the square (empty unless {@link Config#selfEnsemble()})
     * @param psnrPerImage  PSNR per method and test crop
     * @param tvLambda      the TV weight chosen on the training image
     * @param models        the learned denoisers (euler, rk4, dncnn)
     * @param averagedness  α of the Euler denoiser's N_θ (&lt; 1: averaged)
     * @param steps         the Euler denoiser's trained steps τ_i
     * @param repeatPsnr    per learned method, PSNR of {@code D^k(y)} for k = 0 … repeats
     * @param images        first test crop: clean, noisy and each method's output
     * @param repeated      per learned method, {@code D^k(y)} at k = 10, 50, repeats (those ≤ repeats)
     * @param repeatCounts  the k of {@code repeated}
     */
    public record Result(Map<String, Double> psnr, Map<String, Double> psnrSelfEnsemble,
                         Map<String, double[]> psnrPerImage, double tvLambda,
                         Map<String, Model> models, double averagedness, double[] steps,
                         Map<String, double[]> repeatPsnr, Map<String, Tensor> images, Map<String, List<Tensor>> repeated,
                         int[] repeatCounts) {
    }

    private DenoiseExperiment() {
    }

    /**
     * Runs the experiment.
     *
     * @param config the settings
     * @param data   training images and test crops
     * @param onStep called once per training step of any model (progress), may be null
     */
    public static Result run(Config config, ImageSets data, IntConsumer onStep) {
        DataType type = config.type();
        PatchTrainer.Settings ts = withSigma(config.training(), config.sigma());
        long seed = ts.seed();
        int side = data.testSide();
        Tensor clean = data.testBatch().to(type);
        Tensor noisy = ImageIo.addGaussianNoise(clean, config.sigma(), seed + 17);

        double tvLambda = chooseTvLambda(config, data, seed);

        Map<String, Model> models = new LinkedHashMap<>();
        FlowDenoiser eulerTrain = new FlowDenoiser(config.arch(), FlowDenoiser.Scheme.EULER, ts.patch(), ts.patch(), type,
                seed, FlowDenoiser.initialStepFor(config.sigma()));
        long t0 = System.nanoTime();
        double[] eulerLoss = PatchTrainer.train(eulerTrain, data.train(), ts, type, onStep);
        eulerTrain.certify();
        double eulerSeconds = (System.nanoTime() - t0) / 1e9;

        FlowDenoiser rk4Train = eulerTrain.resized(ts.patch(), ts.patch(), type, FlowDenoiser.Scheme.RK4);
        double[] rk4Loss = new double[0];
        t0 = System.nanoTime();
        if (config.rk4Steps() > 0) {
            PatchTrainer.Settings rs = new PatchTrainer.Settings(config.rk4Steps(), ts.batch(), ts.patch(), ts.pool(),
                    ts.lr() / 2, ts.sigma(), seed + 1);
            rk4Loss = PatchTrainer.train(rk4Train, data.train(), rs, type, onStep);
            rk4Train.certify();
        }
        double rk4Seconds = (System.nanoTime() - t0) / 1e9;

        DnCnn dncnn = new DnCnn(config.dncnnFeatures(), config.dncnnDepth(), 3, type, seed + 2);
        t0 = System.nanoTime();
        double[] dncnnLoss = PatchTrainer.train(dncnn, data.train(), ts, type, onStep);
        double dncnnSeconds = (System.nanoTime() - t0) / 1e9;

        FlowDenoiser euler = eulerTrain.resized(side, side, type, FlowDenoiser.Scheme.EULER);
        FlowDenoiser rk4 = rk4Train.resized(side, side, type, FlowDenoiser.Scheme.RK4);
        Map<String, Module> learned = new LinkedHashMap<>();
        learned.put("euler", euler);
        learned.put("rk4", rk4);
        learned.put("dncnn", dncnn);

        Map<String, Tensor> outputs = new LinkedHashMap<>();
        outputs.put("noisy", noisy);
        outputs.put("tv", TotalVariation.denoise(noisy, tvLambda, config.tvIterations()));
        for (Map.Entry<String, Module> e : learned.entrySet()) {
            outputs.put(e.getKey(), Denoiser.of(e.getValue()).denoise(noisy));
        }
        Map<String, Double> psnr = new LinkedHashMap<>();
        Map<String, double[]> perImage = new LinkedHashMap<>();
        for (String m : METHODS) {
            double[] per = perImagePsnr(outputs.get(m), clean);
            perImage.put(m, per);
            psnr.put(m, mean(per));
        }
        Map<String, Double> psnrSelfEnsemble = new LinkedHashMap<>();
        if (config.selfEnsemble()) {
            for (Map.Entry<String, Module> e : learned.entrySet()) {
                Tensor denoised = Denoiser.of(new DihedralAverage(e.getValue())).denoise(noisy);
                psnrSelfEnsemble.put(e.getKey(), mean(perImagePsnr(denoised, clean)));
            }
        }

        double[][] losses = {eulerLoss, rk4Loss, dncnnLoss};
        double[] seconds = {eulerSeconds, rk4Seconds, dncnnSeconds};
        int i = 0;
        Tensor probe = clean.region(new long[] {0, 0, 0, 0}, new long[] {1, 1, side, side});
        for (Map.Entry<String, Module> e : learned.entrySet()) {
            Module m = e.getValue();
            double bound = m instanceof FlowDenoiser f ? f.lipschitzBound() : Double.POSITIVE_INFINITY;
            Check ratio = PropertyChecks.lipschitzRatio(m::forward, noisy, 0.5, config.lipschitzRounds(), seed + 5,
                    Double.isFinite(bound) ? bound : 1, 1e-4);
            Check jac = PropertyChecks.jacobianNorm(m::forward, probe, config.jacobianIterations(), seed + 6,
                    Double.isFinite(bound) ? bound : 1, 1e-4);
            double[] l = losses[i];
            models.put(e.getKey(), new Model(e.getKey(), m.parameterCount(), seconds[i],
                    l.length == 0 ? Double.NaN : tailMean(l), l, bound, ratio.value(), jac.value()));
            i++;
        }

        int[] counts = repeatCounts(config.repeats());
        Map<String, double[]> repeatPsnr = new LinkedHashMap<>();
        Map<String, List<Tensor>> repeated = new LinkedHashMap<>();
        Tensor y = noisy.region(new long[] {0, 0, 0, 0}, new long[] {1, 1, side, side});
        for (Map.Entry<String, Module> e : learned.entrySet()) {
            Denoiser d = Denoiser.of(e.getValue());
            double[] curve = new double[config.repeats() + 1];
            List<Tensor> kept = new ArrayList<>();
            Tensor x = y;
            curve[0] = ImageMetrics.psnr(x, probe);
            int next = 0;
            for (int k = 1; k <= config.repeats(); k++) {
                try (GradMode.Scope s = GradMode.noGrad()) {
                    x = d.denoise(x);
                }
                curve[k] = ImageMetrics.psnr(x, probe);
                if (next < counts.length && counts[next] == k) {
                    kept.add(x);
                    next++;
                }
            }
            repeatPsnr.put(e.getKey(), curve);
            repeated.put(e.getKey(), kept);
        }

        Map<String, Tensor> images = new LinkedHashMap<>();
        images.put("clean", probe);
        for (String m : METHODS) {
            images.put(m, outputs.get(m).region(new long[] {0, 0, 0, 0}, new long[] {1, 1, side, side}));
        }
        return new Result(psnr, psnrSelfEnsemble, perImage, tvLambda, models, euler.averagedness(), euler.steps(), repeatPsnr, images,
                repeated, counts);
    }

    /** 10, 50 and {@code repeats} (those not above repeats, without duplicates). */
    public static int[] repeatCounts(int repeats) {
        List<Integer> c = new ArrayList<>();
        for (int k : new int[] {10, 50}) {
            if (k < repeats) {
                c.add(k);
            }
        }
        c.add(repeats);
        return c.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The TV weight with the best PSNR on the centre crop of the first training image (test-crop
     * size), noisy with the experiment's σ and another seed than the test noise.
     */
    static double chooseTvLambda(Config config, ImageSets data, long seed) {
        Tensor train = data.train().get(0);
        int side = (int) Math.min(data.testSide(), Math.min(train.size(2), train.size(3)));
        Tensor crop = ImageSets.centreCrop(train, side, "the first training image").to(config.type());
        Tensor noisy = ImageIo.addGaussianNoise(crop, config.sigma(), seed + 29);
        double best = Double.NEGATIVE_INFINITY;
        double lambda = config.tvLambdas()[0];
        for (double l : config.tvLambdas()) {
            double p = ImageMetrics.psnr(TotalVariation.denoise(noisy, l, config.tvIterations()), crop);
            if (p > best) {
                best = p;
                lambda = l;
            }
        }
        return lambda;
    }

    /** PSNR of each image of a batch {@code [n, 1, H, W]}. */
    public static double[] perImagePsnr(Tensor x, Tensor reference) {
        int n = (int) x.size(0);
        double[] out = new double[n];
        long[] size = x.shape().clone();
        size[0] = 1;
        for (int b = 0; b < n; b++) {
            long[] start = {b, 0, 0, 0};
            out[b] = ImageMetrics.psnr(x.region(start, size), reference.region(start, size));
        }
        return out;
    }

    private static PatchTrainer.Settings withSigma(PatchTrainer.Settings s, double sigma) {
        return new PatchTrainer.Settings(s.steps(), s.batch(), s.patch(), s.pool(), s.lr(), sigma, s.seed());
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Mean of the last tenth of the losses (at least one). */
    static double tailMean(double[] losses) {
        int n = Math.max(1, losses.length / 10);
        double s = 0;
        for (int i = losses.length - n; i < losses.length; i++) {
            s += losses[i];
        }
        return s / n;
    }
}
