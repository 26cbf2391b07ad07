package io.structflow.examples.robust;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.structflow.constraints.regularize.ConvOrthogonalityPenalty;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.FashionMnist;
import io.structflow.core.io.AtomicFiles;
import io.structflow.core.io.ModelWeights;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Parameter;
import io.structflow.core.optim.Sgd;
import io.structflow.core.optim.StepDecay;
import io.structflow.core.train.Checkpoint;
import io.structflow.core.train.EpochResult;
import io.structflow.core.train.LossFunction;
import io.structflow.core.train.ActivationTrace;
import io.structflow.core.train.Trainer;
import io.structflow.core.train.UpdateTrace;
import io.structflow.layers.blocks.Lipschitz;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.RobustNetworks;
import io.structflow.robustness.PgdL2;
import io.structflow.robustness.RobustnessEvaluator;
import io.structflow.robustness.RobustnessReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Training and evaluation of one network of [CMOSS] §3.3: resumable training with the hinge loss
 * ({@link TrainingSettings}), then on a fixed set of test images the clean accuracy, the ℓ2-PGD
 * robust accuracy over an ε grid with two step sizes, the margin-certified accuracy
 * {@code margin > √2·ε·Lip} of (3.1) with {@code Lip = Lipschitz.bound(model)}, and the areas
 * under the curves.
 */
public final class RobustExperiment {
    /** The paper's (Foolbox's default) PGD step, as a fraction of ε. */
    public static final double PAPER_STEP = 0.025;
    /** The stronger PGD step, as a fraction of ε. */
    public static final double STRONG_STEP = 0.25;
    /** PGD steps per attack (the paper: 10). */
    public static final int PGD_STEPS = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FINGERPRINT = "config.json";
    /** The per-parameter update trace of {@code --trace-every}, in a network's run directory. */
    public static final String UPDATE_TRACE = "trace_updates.csv";
    /** The per-layer activation trace of {@code --trace-every}, in a network's run directory. */
    public static final String ACTIVATION_TRACE = "trace_activations.csv";
    /** The hinge loss and orthogonality penalty per traced step ({@link LossTermsTrace}), in a network's run directory. */
    public static final String LOSS_TRACE = "trace_loss.csv";

    private RobustExperiment() {
    }

    /**
     * Labelled images {@code [N, 1, 28, 28]} in [0, 1] of the given type.
     *
     * @param x      images
     * @param labels one class per image
     */
    public record Images(Tensor x, int[] labels) {
        /** Number of images. */
        public int size() {
            return labels.length;
        }
    }

    /** The first {@code n} test images (a fixed set, {@link FashionMnist#testSet}), {@code 1 ≤ n ≤ 10000}. */
    public static Images testSet(FashionMnist data, int n, DataType type) {
        Dataset test = data.testSet(n, type);
        return new Images(Tensor.constant(test.features()), test.labels());
    }

    /**
     * What a training call did.
     *
     * @param epochsBefore epochs found in the checkpoint when the call started (0 for a fresh run)
     * @param epochs       the epochs trained by this call
     * @param seconds      wall-clock time of this call's training
     * @param replayed     whether the compiled (record/replay) step was requested
     */
    public record TrainingOutcome(int epochsBefore, List<EpochResult> epochs, double seconds, boolean replayed) {
        /** Mean training loss of each epoch trained by this call. */
        public double[] losses() {
            return epochs.stream().mapToDouble(EpochResult::loss).toArray();
        }
    }

    /**
     * Trains a network, checkpointing after every epoch into {@code dir} and resuming from the
     * checkpoint there if one exists (so a run with more epochs continues where the last one
     * stopped, and a run with as many epochs just loads the trained weights).
     *
     * @param network  the network (its weights are overwritten by a checkpoint)
     * @param arch     the architecture it was built with (part of the checkpoint's fingerprint)
     * @param train    the training images
     * @param settings the optimiser, loss and schedule
     * @param dir      the network's checkpoint directory (created)
     * @param progress whether to show a progress bar
     * @throws IllegalArgumentException if {@code dir} holds a checkpoint of another configuration,
     *         or one with more epochs than {@code settings} asks for
     * @throws IOException naming the file if the checkpoint or its {@code config.json} is damaged
     */
    public static TrainingOutcome train(RobustNetworks.Network network, Architecture arch, Dataset train,
                                        TrainingSettings settings, Path dir, boolean progress) throws IOException {
        return train(network, arch, train, settings, dir, progress, 0);
    }

    /**
     * As {@link #train(RobustNetworks.Network, Architecture, Dataset, TrainingSettings, Path, boolean)},
     * and with {@code traceEvery > 0} also writes, for every {@code traceEvery}-th step of this call,
     * {@value #UPDATE_TRACE} ({@link UpdateTrace}: gradient, update and projection sizes per parameter),
     * {@value #ACTIVATION_TRACE} ({@link ActivationTrace}: activation scale after every layer) and
     * {@value #LOSS_TRACE} (hinge loss and orthogonality penalty) into {@code dir}. Tracing changes no trained value.
     *
     * @param traceEvery steps between traced steps, 0 for no trace
     * @throws IllegalArgumentException naming {@code --trace-every} if {@code traceEvery < 0}
     */
    public static TrainingOutcome train(RobustNetworks.Network network, Architecture arch, Dataset train,
                                        TrainingSettings settings, Path dir, boolean progress, int traceEvery)
            throws IOException {
        if (traceEvery < 0) {
            throw new IllegalArgumentException("--trace-every: expected ≥ 0 steps (0: no trace) but got " + traceEvery);
        }
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("network", network.kind().key());
        fingerprint.put("architecture", arch.toMap());
        fingerprint.put("initialisation", network.initialisation());
        fingerprint.put("training", settings.toMap(false));
        fingerprint.put("training_images", train.size());
        int before = resumePoint(dir, fingerprint);

        Trainer.Builder trainer = Trainer.builder(network.model(), optimizer(network, settings), loss(network, settings),
                        new DataLoader(train, settings.batchSize(), true, settings.seed(), false))
                .epochs(settings.epochs())
                .schedule(new StepDecay(settings.learningRate(), settings.gamma(), settings.stepEpochs()))
                .checkpointDir(dir)
                .metricsLog(dir.resolve("metrics.jsonl"))
                .compiled(settings.compiled())
                .progressBar(progress);
        long t0 = System.nanoTime();
        List<EpochResult> epochs;
        if (traceEvery == 0) {
            epochs = trainer.build().fit();
        } else {
            try (UpdateTrace updates = new UpdateTrace(network.model().namedParameters(), traceEvery,
                    dir.resolve(UPDATE_TRACE));
                 ActivationTrace activations = new ActivationTrace(network.model(), traceEvery,
                         dir.resolve(ACTIVATION_TRACE));
                 LossTermsTrace terms = new LossTermsTrace(settings.orthWeight() > 0 ? network.orthogonalKernels()
                         : List.of(), settings.orthWeight(), traceEvery, dir.resolve(LOSS_TRACE))) {
                epochs = trainer.stepObserver(updates).stepObserver(activations).stepObserver(terms).build().fit();
            }
        }
        return new TrainingOutcome(before, epochs, (System.nanoTime() - t0) / 1e9, settings.compiled());
    }

    /**
     * The trained network in a run directory of {@link #train}: built from the {@code network} and
     * {@code architecture} of its {@code config.json}, with the weights of its checkpoint (checked
     * all at once, {@link ModelWeights#copyInto}).
     *
     * @throws IOException              naming the file if {@code config.json} or the checkpoint is
     *                                  missing or damaged
     * @throws IllegalArgumentException naming the entry or tensor if the configuration is invalid or
     *                                  the checkpoint does not fit the network it describes
     */
    public static RobustNetworks.Network loadTrained(Path dir) throws IOException {
        Path config = dir.resolve(FINGERPRINT);
        if (!Files.isRegularFile(config)) {
            throw new java.nio.file.NoSuchFileException(config.toString(), null,
                    "no such file (expected the run directory of a robust network, with " + FINGERPRINT + " and "
                            + Checkpoint.FILE_NAME + ")");
        }
        Map<?, ?> saved = readFingerprint(config);
        if (!(saved.get("architecture") instanceof Map<?, ?> arch)) {
            throw new IllegalArgumentException(config + ": architecture expected a JSON object but got "
                    + saved.get("architecture"));
        }
        NetworkKind kind = NetworkKind.parseList(String.valueOf(saved.get("network"))).get(0);
        RobustNetworks.Network network = RobustNetworks.build(kind, Architecture.fromMap(arch),
                FashionMnist.NUM_CLASSES);
        Path ckpt = dir.resolve(Checkpoint.FILE_NAME);
        ModelWeights.copyInto(network.model(), Checkpoint.load(ckpt).parameters(), "checkpoint " + ckpt);
        return network;
    }

    /** SGD with momentum over the network's parameters, as {@code settings} asks. */
    public static Sgd optimizer(RobustNetworks.Network network, TrainingSettings settings) {
        return new Sgd(network.model(), Sgd.Config.momentum(settings.learningRate(), settings.momentum()));
    }

    /**
     * The training loss: the multi-class hinge loss with the settings' margin (a mean over the
     * batch) plus the weighted orthogonality penalty of the network's convolution kernels.
     */
    public static LossFunction loss(RobustNetworks.Network network, TrainingSettings settings) {
        ConvOrthogonalityPenalty penalty = new ConvOrthogonalityPenalty();
        List<Parameter> kernels = settings.orthWeight() > 0 ? network.orthogonalKernels() : List.of();
        double margin = settings.margin();
        double lambda = settings.orthWeight();
        return (m, b) -> {
            Tensor loss = Losses.multiClassHinge(m.forward(b.x()), b.labels(), margin);
            for (Parameter k : kernels) {
                loss = loss.add(penalty.apply(k).mul(lambda));
            }
            return loss;
        };
    }

    /**
     * Prepares {@code dir} for resumable training: creates it, refuses a checkpoint written with
     * another configuration (the {@code fingerprint}, saved beside it as {@code config.json}),
     * and records the fingerprint atomically.
     *
     * @param dir         the checkpoint directory (created)
     * @param fingerprint everything that, changed, makes a checkpoint another run's (not the epoch count)
     * @return the epochs the checkpoint in {@code dir} holds (0 when there is none)
     * @throws IllegalArgumentException naming {@code --out} if {@code dir} holds another configuration's checkpoint
     * @throws IOException naming the file if the checkpoint or its {@code config.json} is damaged
     */
    public static int resumePoint(Path dir, Map<String, Object> fingerprint) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> canonical = JSON.readValue(JSON.writeValueAsBytes(fingerprint), Map.class);
        Path ckpt = dir.resolve(Checkpoint.FILE_NAME);
        Path config = dir.resolve(FINGERPRINT);
        AtomicFiles.deleteTemporaries(config);
        int before = 0;
        if (Files.exists(ckpt)) {
            Map<?, ?> saved = Files.exists(config) ? readFingerprint(config) : Map.of();
            if (!canonical.equals(saved)) {
                throw new IllegalArgumentException("--out: " + dir + " holds a checkpoint of another configuration ("
                        + saved + ", now " + canonical + "); use another --out directory or --fresh to discard it");
            }
            before = Checkpoint.load(ckpt).progress().epoch();
        }
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(canonical);
        AtomicFiles.write(config, out -> out.write(bytes));
        return before;
    }

    /** The saved fingerprint; a file that is not a JSON object is an IOException of one line naming it. */
    private static Map<?, ?> readFingerprint(Path config) throws IOException {
        try {
            return JSON.readValue(config.toFile(), Map.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(config + ": expected the JSON object of a checkpoint's configuration but "
                    + e.getOriginalMessage().lines().findFirst().orElse("could not parse it")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")") + "; delete it, or rerun with --fresh, to start over");
        }
    }

    /**
     * Robustness of one trained network.
     *
     * @param paper     the attack with the paper's step 0.025·ε
     * @param strong    the attack with the stronger step 0.25·ε
     * @param lipschitz {@code Lipschitz.bound(model)} used by the certificates
     * @param seconds   wall-clock time of both evaluations
     */
    public record Evaluation(RobustnessReport paper, RobustnessReport strong, double lipschitz, double seconds) {
    }

    /** The ℓ2-PGD attack of the paper (10 steps, cross-entropy, random start, images clipped to [0, 1]) with step {@code fraction·ε}. */
    public static PgdL2 attack(double fraction, long seed) {
        return new PgdL2(PgdL2.Config.defaults().withSteps(PGD_STEPS).withRelativeStepSize(fraction)
                .withInputBox(0, 1).withSeed(seed));
    }

    /**
     * Clean, robust (both PGD steps) and certified accuracy over {@code epsilons}.
     *
     * @param network   a trained network
     * @param test      the fixed test images
     * @param epsilons  strictly increasing radii starting at 0
     * @param batchSize images per attack batch
     * @param seed      seed of the attacks' random starts
     */
    public static Evaluation evaluate(RobustNetworks.Network network, Images test, double[] epsilons, int batchSize,
                                      long seed) {
        long t0 = System.nanoTime();
        double lip = Lipschitz.bound(network.model());
        RobustnessReport paper = new RobustnessEvaluator(attack(PAPER_STEP, seed), batchSize)
                .evaluate(network.model(), test.x(), test.labels(), epsilons, lip);
        RobustnessReport strong = new RobustnessEvaluator(attack(STRONG_STEP, seed), batchSize)
                .evaluate(network.model(), test.x(), test.labels(), epsilons, lip);
        return new Evaluation(paper, strong, lip, (System.nanoTime() - t0) / 1e9);
    }

    /** The grid 0, Δ, 2Δ, …, max (Δ = max / (points − 1)), rounded to 1e-12. */
    public static double[] grid(double max, int points) {
        if (!(max > 0) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("--eps-max: expected a finite radius > 0 but got " + max);
        }
        if (points < 2) {
            throw new IllegalArgumentException("--eps-points: expected ≥ 2 radii but got " + points);
        }
        double[] e = new double[points];
        for (int k = 0; k < points; k++) {
            e[k] = Math.round(max * k / (points - 1) * 1e12) / 1e12;
        }
        return e;
    }
}
