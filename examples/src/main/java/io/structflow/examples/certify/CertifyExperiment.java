package io.structflow.examples.certify;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Jacobians;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.FashionMnist;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.core.optim.Adam;
import io.structflow.core.optim.CosineAnnealing;
import io.structflow.core.train.EpochResult;
import io.structflow.core.train.Trainer;
import io.structflow.examples.robust.RobustExperiment;
import io.structflow.examples.robust.RobustRun;
import io.structflow.core.nn.Module;
import io.structflow.layers.PairwiseLipschitzBounded;
import io.structflow.layers.blocks.Lipschitz;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.CertifiedNetworks;
import io.structflow.layers.verify.PropertyChecks;
import io.structflow.robustness.MarginCertificate;
import io.structflow.robustness.PairwiseLipschitz;
import io.structflow.robustness.PgdL2;
import io.structflow.robustness.RobustnessEvaluator;
import io.structflow.robustness.RobustnessReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Certified training and evaluation of the classifiers of {@link CertifiedNetworks} on
 * Fashion-MNIST: resumable training ({@link CertifySettings}; checkpoints and fingerprints as
 * {@code robust}, {@link RobustExperiment#resumePoint}), then on the fixed test images
 * <ul>
 *   <li>clean accuracy, and certified accuracy at each ε: {@code f_y − f_j > ε·K_yj} for every
 *       {@code j ≠ y} ({@link PairwiseLipschitz}) with K the certified pairwise bounds
 *       {@code Lipschitz.pairwiseBounds(model)}: {@code √2·L} for every pair with the scaled head
 *       (the margin test {@code margin > √2·ε·L} of {@link MarginCertificate}, [CMOSS] (3.1)),
 *       {@code L_g·‖ŵ_i − ŵ_j‖} with the row-normalised head;</li>
 *   <li>every certificate re-checked in float64: the trained weights are copied into the same
 *       network in float64 and margins and bound recomputed; a sample counts as certified only
 *       when both agree, and the disagreements are reported;</li>
 *   <li>PGD-ℓ2 robust accuracy at each ε (10 steps of 0.25·ε, random start); the evaluator refuses
 *       any certified sample an attack breaks ({@link RobustnessEvaluator});</li>
 *   <li>the bound's tightness: L divided by the largest local Lipschitz lower bound found, the
 *       quotients {@code ‖f(x′) − f(x)‖/‖x′ − x‖} at the attacks' points and the Jacobians' norms
 *       (power iteration) at test images;</li>
 *   <li>seconds per epoch and the process's resident memory (sampled at epoch ends and after evaluation).</li>
 * </ul>
 */
public final class CertifyExperiment {
    /** The radii of the issue: 36/255, 72/255, 108/255 and 1, after the clean point 0. */
    public static final double[] EPSILONS = {0, 36 / 255.0, 72 / 255.0, 108 / 255.0, 1.0};

    private CertifyExperiment() {
    }

    /**
     * Everything a run needs.
     *
     * @param dataDir         Fashion-MNIST directory
     * @param out             output directory; each network trains in {@code out/<network>}
     * @param networks        the networks, in order
     * @param head            the linear head of every network
     * @param arch            the architecture both networks share
     * @param settings        training settings
     * @param trainImages     training images (0: all 60 000)
     * @param testImages      fixed test images evaluated (the first ones of the test set)
     * @param tightnessImages test images whose Jacobian norms bound the Lipschitz constant from below
     * @param attackBatch     images per attack batch
     * @param fresh           delete existing checkpoints first
     * @param progress        show progress bars
     */
    public record Options(Path dataDir, Path out, List<CertifiedNetworks.Kind> networks, CertifiedNetworks.Head head,
                          CertifiedNetworks.DenseTail tail, Architecture arch,
                          CertifySettings settings, int trainImages, int testImages, int tightnessImages,
                          int attackBatch, boolean fresh, boolean progress) {
        /** Validates what the records it holds do not. */
        public Options {
            if (networks == null || networks.isEmpty()) {
                throw new IllegalArgumentException("--networks: expected at least one network but got none");
            }
            if (head == null) {
                throw new IllegalArgumentException("--head: expected a head but got none");
            }
            if (tail == null) {
                throw new IllegalArgumentException("--dense-layers: expected a dense tail but got none");
            }
            if (trainImages < 0) {
                throw new IllegalArgumentException("--train-images: expected ≥ 0 (0: all) but got " + trainImages);
            }
            if (testImages < 1 || testImages > 10000) {
                throw new IllegalArgumentException("--test-images: expected 1 to 10000 but got " + testImages);
            }
            if (tightnessImages < 1 || tightnessImages > testImages) {
                throw new IllegalArgumentException("--tightness-images: expected 1 to --test-images = " + testImages
                        + " but got " + tightnessImages);
            }
            if (attackBatch < 1) {
                throw new IllegalArgumentException("--attack-batch: expected ≥ 1 but got " + attackBatch);
            }
        }
    }

    /**
     * The robustness of one trained network.
     *
     * @param attacked          clean, PGD-robust and float32-certified accuracy per ε
     * @param lipschitz         the certified bound L of the float32 network
     * @param lipschitz64       the bound recomputed on the float64 copy
     * @param largestPairwise   the largest pairwise constant {@code K_ij} of the certificate (float32 network)
     * @param certified         certified accuracy per ε, a sample counting when both the float32 and the float64
     *                          certificates hold
     * @param float64Rejections per ε, samples certified in float32 but not in float64
     * @param localLowerBound   the largest local Lipschitz lower bound found (attacks and Jacobian norms)
     * @param pairTightness     per class pair {@code i ≠ j}, {@code K_ij} ÷ the largest local Lipschitz lower bound
     *                          of {@code f_i − f_j} found ({@link #pairLowerBounds}); 0 on the diagonal
     * @param seconds           wall-clock time of the evaluation
     */
    public record Evaluation(RobustnessReport attacked, double lipschitz, double lipschitz64, double largestPairwise,
                             double[] certified,
                             int[] float64Rejections, double localLowerBound, double[][] pairTightness,
                             double seconds) {
        /** L ÷ the largest local lower bound (≥ 1 when L is a bound). */
        public double tightness() {
            return lipschitz / localLowerBound;
        }

        /** The smallest and the median of the pairs' tightness: how close the certificate's constants come. */
        public double[] pairTightnessMinAndMedian() {
            double[] all = Arrays.stream(pairTightness).flatMapToDouble(Arrays::stream).filter(t -> t > 0).sorted()
                    .toArray();
            return new double[] {all[0], all[all.length / 2]};
        }
    }

    /** The measured numbers of one network. */
    public record NetworkResult(CertifiedNetworks.Kind kind, long parameters, RobustExperiment.TrainingOutcome training,
                                Evaluation evaluation, long residentBytes) {
        /** Mean seconds per epoch trained by this call, or NaN when none was (the checkpoint was complete). */
        public double epochSeconds() {
            return training.epochs().isEmpty() ? Double.NaN : training.seconds() / training.epochs().size();
        }
    }

    /**
     * Runs the experiment, printing progress on {@code log}.
     *
     * @return one result per network, in the order asked
     * @throws IllegalArgumentException naming {@code --data} if the data are missing or malformed
     */
    public static List<NetworkResult> run(Options o, PrintStream log) throws IOException {
        FashionMnist data = RobustRun.loadData(o.dataDir());
        CertifySettings s = o.settings();
        log.printf(Locale.ROOT, "certify: %s, %s head; %d epoch(s), batch %d, Adam lr %s (cosine), margin loss "
                        + "ε_train %s, τ %s, shifts ±%d px; %s%n", o.networks(), o.head().key(), s.epochs(), s.batchSize(),
                s.learningRate(), s.trainEpsilon(), s.temperature(), s.shift(), o.arch());
        Dataset train = data.trainingSet(o.trainImages(), o.arch().type());
        log.printf("Fashion-MNIST: %d training images, %d fixed test images%n", train.size(), o.testImages());
        RobustExperiment.Images test = null; // read for the first evaluation: training holds no test images
        List<NetworkResult> results = new ArrayList<>();
        for (CertifiedNetworks.Kind kind : o.networks()) {
            Path dir = o.out().resolve(kind.key());
            if (o.fresh()) {
                RobustRun.discardCheckpoint(dir);
            }
            Sequential model = CertifiedNetworks.build(kind, o.head(), o.tail(), o.arch(), FashionMnist.NUM_CLASSES);
            log.printf("%n== %s: %d parameters, checkpoints in %s%n", kind.label(), model.parameterCount(), dir);
            long[] resident = {Pointer.physicalBytes()};
            RobustExperiment.TrainingOutcome t = train(model, kind, o.head(), o.tail(), o.arch(), train, s, dir, o.progress(),
                    resident);
            if (t.epochsBefore() > 0) {
                log.printf("resumed from the checkpoint after epoch %d%n", t.epochsBefore());
            }
            for (EpochResult e : t.epochs()) {
                log.printf(Locale.ROOT, "epoch %d: loss %.4f (lr %.4g)%n", e.epoch() + 1, e.loss(), e.metrics().get("lr"));
            }
            log.printf(Locale.ROOT, "trained %d epoch(s) in %.1f s; evaluating on %d images…%n", t.epochs().size(),
                    t.seconds(), o.testImages());
            if (test == null) {
                test = RobustExperiment.testSet(data, o.testImages(), o.arch().type());
            }
            Evaluation ev = evaluate(kind, o.head(), o.tail(), model, o.arch(), test, o.tightnessImages(), o.attackBatch(),
                    s.seed());
            resident[0] = Math.max(resident[0], Pointer.physicalBytes());
            log.printf(Locale.ROOT, "clean %.4f, certified %s, robust %s, L = %.6g (float64 %.6g), largest pair "
                            + "constant %.6g, tightness %.3g, pair tightness min %.3g median %.3g; evaluation %.1f s%n",
                    ev.attacked().cleanAccuracy(), Arrays.toString(ev.certified()),
                    Arrays.toString(ev.attacked().robustAccuracy()), ev.lipschitz(), ev.lipschitz64(),
                    ev.largestPairwise(), ev.tightness(), ev.pairTightnessMinAndMedian()[0],
                    ev.pairTightnessMinAndMedian()[1], ev.seconds());
            results.add(new NetworkResult(kind, model.parameterCount(), t, ev, resident[0]));
        }
        return results;
    }

    /**
     * Trains a network, checkpointing after every epoch into {@code dir} and resuming from the
     * checkpoint there (as {@code robust} does).
     *
     * @param resident updated with the largest resident memory seen at epoch ends
     */
    static RobustExperiment.TrainingOutcome train(Sequential model, CertifiedNetworks.Kind kind,
                                                  CertifiedNetworks.Head head, CertifiedNetworks.DenseTail tail,
                                                  Architecture arch, Dataset train,
                                                  CertifySettings s, Path dir, boolean progress, long[] resident)
            throws IOException {
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("network", kind.key());
        fingerprint.put("head", head.key());
        if (tail.layers() > 0) {
            fingerprint.put("dense_tail", tail.toMap());
        }
        fingerprint.put("architecture", arch.toMap());
        fingerprint.put("training", s.toMap(false));
        fingerprint.put("training_images", train.size());
        int before = RobustExperiment.resumePoint(dir, fingerprint);
        RandomShift shift = new RandomShift(s.shift(), s.seed());
        double epsilon = s.trainEpsilon();
        double temperature = s.temperature();
        Trainer trainer = Trainer.builder(model, new Adam(model, Adam.Config.defaults(s.learningRate())),
                        (m, b) -> Losses.lipschitzMarginCrossEntropy(m.forward(shift.apply(b.x(), b.labels())), b.labels(),
                                pairConstants(model, arch).mul(epsilon), temperature),
                        new DataLoader(train, s.batchSize(), true, s.seed(), false))
                .epochs(s.epochs())
                .schedule(new CosineAnnealing(s.learningRate(), 0, s.epochs()))
                .checkpointDir(dir)
                .metricsLog(dir.resolve("metrics.jsonl"))
                .callback((epoch, m, metrics) -> resident[0] = Math.max(resident[0], Pointer.physicalBytes()))
                .progressBar(progress)
                .build();
        long t0 = System.nanoTime();
        List<EpochResult> epochs = trainer.fit();
        return new RobustExperiment.TrainingOutcome(before, epochs, (System.nanoTime() - t0) / 1e9, false);
    }

    /**
     * The pairwise constants the training loss offsets by ε_train, for a body of bound L₀ = 1 (what every
     * network here is built to keep; its certified bound is computed only at evaluation): the head's own
     * constants, differentiable in its weights, when it has them ({@link PairwiseLipschitzBounded}), else
     * √2 for every pair (the head is 1-Lipschitz).
     */
    static Tensor pairConstants(Sequential model, Architecture arch) {
        List<Module> layers = model.layers();
        return layers.get(layers.size() - 1) instanceof PairwiseLipschitzBounded head ? head.pairwiseLipschitz()
                : Losses.uniformMarginOffsets(FashionMnist.NUM_CLASSES, Math.sqrt(2), arch.type());
    }

    /** The certificate's pairwise constants of a network: {@code Lipschitz.pairwiseBounds}, with its whole bound. */
    static PairwiseLipschitz pairwise(Sequential model) {
        return PairwiseLipschitz.of(Lipschitz.pairwiseBounds(model, FashionMnist.NUM_CLASSES), Lipschitz.bound(model));
    }

    /**
     * Certified, attacked and float64-re-checked accuracy over {@link #EPSILONS}, and the bound's tightness.
     *
     * @param kind            the network's kind (to build its float64 copy)
     * @param head            its head
     * @param tail            its dense layers before the head
     * @param model           the trained network
     * @param arch            its architecture
     * @param test            fixed test images
     * @param tightnessImages images whose Jacobian norms are measured
     * @param attackBatch     images per attack batch
     * @param seed            seed of the attacks
     */
    public static Evaluation evaluate(CertifiedNetworks.Kind kind, CertifiedNetworks.Head head,
                                      CertifiedNetworks.DenseTail tail, Sequential model,
                                      Architecture arch, RobustExperiment.Images test, int tightnessImages,
                                      int attackBatch, long seed) {
        long t0 = System.nanoTime();
        PairwiseLipschitz pairwise = pairwise(model);
        PgdL2 attack = RobustExperiment.attack(RobustExperiment.STRONG_STEP, seed);
        RobustnessEvaluator evaluator = new RobustnessEvaluator(attack, attackBatch);
        RobustnessReport attacked = evaluator.evaluate(model, test.x(), test.labels(), EPSILONS, pairwise);

        Sequential model64 = float64Copy(kind, head, tail, model, arch);
        PairwiseLipschitz pairwise64 = pairwise(model64);
        boolean[][] in32 = evaluator.certified(model, test.x(), test.labels(), EPSILONS, pairwise);
        boolean[][] in64 = evaluator.certified(model64, test.x().to(DataType.DOUBLE), test.labels(), EPSILONS,
                pairwise64);
        double[] certified = new double[EPSILONS.length];
        int[] rejected = new int[EPSILONS.length];
        for (int k = 0; k < EPSILONS.length; k++) {
            int both = 0;
            for (int i = 0; i < in32[k].length; i++) {
                both += in32[k][i] && in64[k][i] ? 1 : 0;
                rejected[k] += in32[k][i] && !in64[k][i] ? 1 : 0;
            }
            certified[k] = both / (double) in32[k].length;
        }
        Tensor x = test.x().slice(0, 0, tightnessImages);
        int[] y = Arrays.copyOf(test.labels(), tightnessImages);
        Tensor far = attack.attack(model, x, y, EPSILONS[EPSILONS.length - 1], new SplittableRandom(seed)).adversarial();
        double lower = localLowerBound(model, model64, x, far, seed);
        int classes = FashionMnist.NUM_CLASSES;
        double[][] pairLower = pairLowerBounds(model64, x.to(DataType.DOUBLE), far.to(DataType.DOUBLE), classes);
        double[][] pairTightness = new double[classes][classes];
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                pairTightness[i][j] = i == j ? 0 : pairwise.constant(i, j) / pairLower[i][j];
            }
        }
        return new Evaluation(attacked, pairwise.lipschitz(), pairwise64.lipschitz(),
                pairwise.largest(classes), certified, rejected, lower, pairTightness, (System.nanoTime() - t0) / 1e9);
    }

    /** The same network in float64 with the trained values (raw parameters copied; parametrisations recomputed). */
    static Sequential float64Copy(CertifiedNetworks.Kind kind, CertifiedNetworks.Head head,
                                  CertifiedNetworks.DenseTail tail, Sequential model,
                                  Architecture arch) {
        Architecture arch64 = new Architecture(arch.channels(), arch.pairs(), arch.substeps(), arch.slope(),
                arch.boundedLifts(), DataType.DOUBLE, arch.seed());
        Sequential copy = CertifiedNetworks.build(kind, head, tail, arch64, FashionMnist.NUM_CLASSES);
        Map<String, Parameter> target = copy.namedParameters();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            target.get(e.getKey()).updateInPlace(e.getValue().value().castTo(DataType.DOUBLE));
        }
        return copy;
    }

    /**
     * The largest of {@code ‖f(x′) − f(x)‖/‖x′ − x‖} between the images {@code x} and their PGD
     * points {@code far}, and of the Jacobian norms at {@code x} (float64 copy, power iteration):
     * each is at most the true Lipschitz constant.
     */
    private static double localLowerBound(Sequential model, Sequential model64, Tensor x, Tensor far, long seed) {
        double best = 0;
        try (GradMode.Scope s = GradMode.noGrad()) {
            double[] num = Jacobians.perSampleNorms(model.forward(far).sub(model.forward(x)));
            double[] den = Jacobians.perSampleNorms(far.sub(x));
            for (int i = 0; i < num.length; i++) {
                if (den[i] > 0) {
                    best = Math.max(best, num[i] / den[i]);
                }
            }
        }
        double jacobian = PropertyChecks.jacobianNorm(model64::forward, x.to(DataType.DOUBLE), 30, seed,
                Double.POSITIVE_INFINITY, 0).value();
        return Math.max(best, jacobian);
    }

    /**
     * Per class pair, the largest local Lipschitz lower bound of the logit difference
     * {@code g = f_i − f_j} found: the gradient norms {@code ‖∇g‖} at the images {@code x} and at
     * their PGD points {@code far}, and the quotients {@code |g(x′) − g(x)|/‖x′ − x‖} between them.
     * Each is at most {@code Lip(g)}, so at most the certificate's {@code K_ij} when that is a bound.
     *
     * @param model64 the float64 network
     * @param x       images {@code [n, …]}, float64
     * @param far     their PGD points, float64
     * @return {@code [classes][classes]}, symmetric, 0 on the diagonal
     */
    static double[][] pairLowerBounds(Sequential model64, Tensor x, Tensor far, int classes) {
        int n = (int) x.size(0);
        double[][] lower = new double[classes][classes];
        Slopes atX = Slopes.at(model64, x, classes);
        Slopes atFar = Slopes.at(model64, far, classes);
        double[] dist = Jacobians.perSampleNorms(far.sub(x));
        for (int i = 0; i < classes; i++) {
            for (int j = i + 1; j < classes; j++) {
                for (int b = 0; b < n; b++) {
                    lower[i][j] = Math.max(lower[i][j], Math.max(atX.differenceNorm(i, j, b),
                            atFar.differenceNorm(i, j, b)));
                    if (dist[b] > 0) {
                        double change = (atFar.logits[b][i] - atFar.logits[b][j]) - (atX.logits[b][i] - atX.logits[b][j]);
                        lower[i][j] = Math.max(lower[i][j], Math.abs(change) / dist[b]);
                    }
                }
                lower[j][i] = lower[i][j];
            }
        }
        return lower;
    }

    /** Logits {@code [n][classes]} at n points and each logit's input gradient {@code [classes][n][…]}. */
    private record Slopes(double[][] logits, double[][][] gradients) {
        /** One forward pass, then one backward pass per class over the retained graph. */
        static Slopes at(Sequential model, Tensor points, int classes) {
            int n = (int) points.size(0);
            double[][][] gradients = new double[classes][][];
            try (GradMode.Scope s = GradMode.enableGrad()) {
                Tensor in = Tensor.variable(points.value().dup());
                Tensor out = model.forward(in);
                for (int k = 0; k < classes; k++) {
                    double[][] seed = new double[n][classes];
                    for (double[] row : seed) {
                        row[k] = 1;   // samples are independent: the gradient of Σ_b f_k(x_b) holds each ∇f_k(x_b)
                    }
                    Tensor[] seeds = {Tensor.constant(Nd4j.create(seed))};
                    gradients[k] = rows(Autograd.grad(new Tensor[] {out}, seeds, new Tensor[] {in}, false, true)[0]
                            .toDoubleArray(), n);
                }
                return new Slopes(rows(out.toDoubleArray(), n), gradients);
            }
        }

        /** {@code ‖∇f_i(x_b) − ∇f_j(x_b)‖}. */
        double differenceNorm(int i, int j, int b) {
            double sq = 0;
            for (int e = 0; e < gradients[i][b].length; e++) {
                double d = gradients[i][b][e] - gradients[j][b][e];
                sq += d * d;
            }
            return Math.sqrt(sq);
        }
    }

    /** A row-major {@code [n, m]} array as n rows. */
    private static double[][] rows(double[] all, int n) {
        int m = all.length / n;
        double[][] r = new double[n][];
        for (int b = 0; b < n; b++) {
            r[b] = Arrays.copyOfRange(all, b * m, (b + 1) * m);
        }
        return r;
    }
}
