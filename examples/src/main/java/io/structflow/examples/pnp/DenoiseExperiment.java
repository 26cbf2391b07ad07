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
                         boolean selfEnsemble) implements java.io.Serializable {
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
     * A trained denoiser at the training patch size, with the batch loss of every step and the
     * wall-clock training time.
     */
    public record Trained<M extends Module>(M model, double[] losses, double seconds) {
    }

    /**
     * Runs the experiment: trains the three denoisers, then {@link #evaluate}s them.
     *
     * @param config the settings
     * @param data   training images and test crops
     * @param onStep called once per training step of any model (progress), may be null
     */
    public static Result run(Config config, ImageSets data, IntConsumer onStep) {
        Trained<FlowDenoiser> euler = trainEuler(config, data.train(), onStep);
        Trained<FlowDenoiser> rk4 = trainRk4(config, euler.model(), data.train(), onStep);
        Trained<DnCnn> dncnn = trainDncnn(config, data.train(), onStep);
        return evaluate(config, data, euler, rk4, dncnn);
    }

    /** The patch-training schedule of {@code config} at its noise level. */
    static PatchTrainer.Settings schedule(Config config) {
        return withSigma(config.training(), config.sigma());
    }

    /** The untrained Euler denoiser of {@code config} on training patches (seeded by the schedule's seed). */
    public static FlowDenoiser newEuler(Config config) {
        PatchTrainer.Settings ts = schedule(config);
        return new FlowDenoiser(config.arch(), FlowDenoiser.Scheme.EULER, ts.patch(), ts.patch(), config.type(), ts.seed(),
                FlowDenoiser.initialStepFor(config.sigma()));
    }

    /** The untrained DnCNN of {@code config} (seed: the schedule's seed + 2). */
    public static DnCnn newDncnn(Config config) {
        return new DnCnn(config.dncnnFeatures(), config.dncnnDepth(), 3, config.type(), schedule(config).seed() + 2);
    }

    /**
     * Trains the Euler denoiser on noisy patches of {@code train} and certifies its norm bounds.
     *
     * @param onStep called once per training step, may be null
     */
    public static Trained<FlowDenoiser> trainEuler(Config config, List<Tensor> train, IntConsumer onStep) {
        FlowDenoiser euler = newEuler(config);
        long t0 = System.nanoTime();
        double[] losses = PatchTrainer.train(euler, train, schedule(config), config.type(), onStep);
        euler.certify();
        return new Trained<>(euler, losses, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The RK4 variant: the trained Euler parameters under RK4, fine-tuned for
     * {@link Config#rk4Steps()} steps at half the learning rate (seed + 1) and certified; with 0
     * steps, the Euler parameters as they are.
     *
     * @param euler  the trained Euler denoiser (not changed)
     * @param onStep called once per training step, may be null
     */
    public static Trained<FlowDenoiser> trainRk4(Config config, FlowDenoiser euler, List<Tensor> train, IntConsumer onStep) {
        PatchTrainer.Settings ts = schedule(config);
        FlowDenoiser rk4 = euler.resized(ts.patch(), ts.patch(), config.type(), FlowDenoiser.Scheme.RK4);
        double[] losses = new double[0];
        long t0 = System.nanoTime();
        if (config.rk4Steps() > 0) {
            PatchTrainer.Settings rs = new PatchTrainer.Settings(config.rk4Steps(), ts.batch(), ts.patch(), ts.pool(),
                    ts.lr() / 2, ts.sigma(), ts.seed() + 1);
            losses = PatchTrainer.train(rk4, train, rs, config.type(), onStep);
            rk4.certify();
        }
        return new Trained<>(rk4, losses, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Trains the unconstrained DnCNN on noisy patches of {@code train}.
     *
     * @param onStep called once per training step, may be null
     */
    public static Trained<DnCnn> trainDncnn(Config config, List<Tensor> train, IntConsumer onStep) {
        DnCnn dncnn = newDncnn(config);
        long t0 = System.nanoTime();
        double[] losses = PatchTrainer.train(dncnn, train, schedule(config), config.type(), onStep);
        return new Trained<>(dncnn, losses, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Measures three trained denoisers: PSNR of every method on the noisy test crops (TV's weight
     * chosen on a training image), Lipschitz figures, repeated application, image strips.
     *
     * @param config    the settings the denoisers were trained with
     * @param data      training images and test crops
     * @param eulerTrain the trained Euler denoiser ({@link #trainEuler})
     * @param rk4Train  its RK4 variant ({@link #trainRk4})
     * @param dncnnTrain the trained DnCNN ({@link #trainDncnn})
     */
    public static Result evaluate(Config config, ImageSets data, Trained<FlowDenoiser> eulerTrain,
                                  Trained<FlowDenoiser> rk4Train, Trained<DnCnn> dncnnTrain) {
        DataType type = config.type();
        long seed = schedule(config).seed();
        int side = data.testSide();
        Tensor clean = data.testBatch().to(type);
        Tensor noisy = ImageIo.addGaussianNoise(clean, config.sigma(), seed + 17);

        double tvLambda = chooseTvLambda(config, data, seed);

        Map<String, Model> models = new LinkedHashMap<>();
        FlowDenoiser euler = eulerTrain.model().resized(side, side, type, FlowDenoiser.Scheme.EULER);
        FlowDenoiser rk4 = rk4Train.model().resized(side, side, type, FlowDenoiser.Scheme.RK4);
        DnCnn dncnn = dncnnTrain.model();
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

        double[][] losses = {eulerTrain.losses(), rk4Train.losses(), dncnnTrain.losses()};
        double[] seconds = {eulerTrain.seconds(), rk4Train.seconds(), dncnnTrain.seconds()};
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
