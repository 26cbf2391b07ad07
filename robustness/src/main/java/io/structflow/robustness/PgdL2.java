package io.structflow.robustness;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ℓ2 projected-gradient attack (PGD) of Madry et al. on a classifier {@code f} mapping
 * inputs {@code [batch, ...]} to logits {@code [batch, classes]}: for each sample, starting at
 * {@code x⁰} (the clean input, or a uniform random point of the ε-ball around it),
 * <pre>
 *   g      = ∇ₓ ℓ(f(xᵏ), y)                                  (ℓ: {@link AttackLoss})
 *   x̃      = xᵏ + α · g / ‖g‖₂                               (α = relativeStepSize · ε)
 *   xᵏ⁺¹   = clip_[lo, hi]( x + Π_ε(x̃ − x) ),   Π_ε(δ) = δ · min(1, ε / ‖δ‖₂)
 * </pre>
 * repeated {@code steps} times, for {@code restarts} runs. This is the attack [CMOSS] §3.3 uses
 * to measure robust accuracy (through Foolbox's {@code L2PGD}); the order of the update,
 * projection and clipping is Foolbox's. Clipping after projecting keeps the point in the ε-ball
 * because the box contains the clean input.
 *
 * <p>Of every point visited (the clean input, each iterate of each run, and each run's last
 * point) the attack returns, per sample, a misclassified one if any — the one of smallest margin
 * {@code s_y − max_{j≠y} s_j} among those — and otherwise the one of smallest margin. So a
 * sample misclassified clean is a success with zero perturbation, and extra runs can only make
 * the attack stronger. Success means the predicted class (largest logit, ties to the lowest
 * index, as {@link io.structflow.core.loss.Losses#accuracy}) differs from the label.
 *
 * <p><b>Step size.</b> The default {@code α = 0.025·ε} for 10 steps is Foolbox's default and
 * the setting of the paper; it is weak: ten steps travel at most {@code 0.25·ε}, so from the
 * clean point the attack cannot reach the boundary of the ball (on the Fashion-MNIST network of
 * §3.3, accuracy at ε = 1 falls from 76% to 72% with it, to 51% with {@code α = 0.25·ε}). Report
 * which one a number was obtained with; {@link Config#withRelativeStepSize} sets it.
 *
 * <p>Gradients are taken with {@link Autograd#grad} with respect to the input only, with the
 * graph recorded regardless of the caller's {@link GradMode}: the model's parameters do not
 * accumulate gradients and the caller's grad mode is left as it was. The first iterate's
 * forward and backward pass is recorded and the later ones — of this and later calls with the
 * same model and batch shape — replayed on the same buffers ({@link InputGradient}; checked
 * against eager evaluation once, eager when not replayable). So an instance is not thread-safe. Cost per run: {@code steps}
 * forward–backward passes and one forward pass of the batch.
 *
 * <p>References: A. Madry, A. Makelov, L. Schmidt, D. Tsipras, A. Vladu, <i>Towards deep learning
 * models resistant to adversarial attacks</i>, ICLR 2018, arXiv:1706.06083; J. Rauber, R.
 * Zimmermann, M. Bethge, W. Brendel, <i>Foolbox Native</i>, JOSS 5 (2020),
 * doi:10.21105/joss.02607; [CMOSS] E. Celledoni et al., <i>Dynamical systems' based neural
 * networks</i>, SIAM J. Sci. Comput. (2023), arXiv:2210.02373, §3.3.
 */
public final class PgdL2 {
    private static final String WHERE = "PgdL2.attack";

    /**
     * Hyper-parameters of the attack, immutable.
     *
     * @param steps            gradient steps per run, ≥ 1 (paper: 10)
     * @param relativeStepSize step length α as a fraction of ε, finite &gt; 0 (Foolbox and paper:
     *                         0.025; 0.25 is much stronger)
     * @param restarts         number of runs, ≥ 1; the runs after the first always start at a
     *                         random point of the ε-ball
     * @param randomStart      whether the first run starts at a random point of the ε-ball
     *                         (uniform in volume) rather than at the clean input (Foolbox: true)
     * @param loss             the objective ascended
     * @param clipMin          lower end of the input box ({@code −∞}: none), e.g. 0 for images
     * @param clipMax          upper end of the input box ({@code +∞}: none), e.g. 1 for images
     * @param seed             seed of the random starts
     */
    public record Config(int steps, double relativeStepSize, int restarts, boolean randomStart, AttackLoss loss,
                         double clipMin, double clipMax, long seed) implements java.io.Serializable {
        public Config {
            String where = "PgdL2.Config";
            Messages.atLeast(where, "steps", 1, steps);
            Messages.positive(where, "relativeStepSize", relativeStepSize);
            Messages.atLeast(where, "restarts", 1, restarts);
            Messages.notNull(where, "loss", loss);
            if (Double.isNaN(clipMin) || Double.isNaN(clipMax) || !(clipMin < clipMax)
                    || clipMin == Double.POSITIVE_INFINITY || clipMax == Double.NEGATIVE_INFINITY) {
                throw Messages.bad(where, "input box [clipMin, clipMax]", "clipMin < clipMax (infinite ends for no "
                        + "clipping)", "[" + clipMin + ", " + clipMax + "]");
            }
        }

        /**
         * The paper's (Foolbox's) setting: 10 steps of 0.025·ε, one run from a random start,
         * cross-entropy, no input box, seed 0.
         */
        public static Config defaults() {
            return new Config(10, 0.025, 1, true, AttackLoss.CROSS_ENTROPY,
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0);
        }

        /** This configuration with another number of steps. */
        public Config withSteps(int newSteps) {
            return new Config(newSteps, relativeStepSize, restarts, randomStart, loss, clipMin, clipMax, seed);
        }

        /** This configuration with step length {@code fraction · ε}. */
        public Config withRelativeStepSize(double fraction) {
            return new Config(steps, fraction, restarts, randomStart, loss, clipMin, clipMax, seed);
        }

        /** This configuration with another number of runs. */
        public Config withRestarts(int runs) {
            return new Config(steps, relativeStepSize, runs, randomStart, loss, clipMin, clipMax, seed);
        }

        /** This configuration with the first run starting at random (true) or at the clean input. */
        public Config withRandomStart(boolean random) {
            return new Config(steps, relativeStepSize, restarts, random, loss, clipMin, clipMax, seed);
        }

        /** This configuration with another objective. */
        public Config withLoss(AttackLoss newLoss) {
            return new Config(steps, relativeStepSize, restarts, randomStart, newLoss, clipMin, clipMax, seed);
        }

        /** This configuration with every input value clipped to {@code [low, high]} (e.g. [0, 1]). */
        public Config withInputBox(double low, double high) {
            return new Config(steps, relativeStepSize, restarts, randomStart, loss, low, high, seed);
        }

        /** This configuration with another seed. */
        public Config withSeed(long newSeed) {
            return new Config(steps, relativeStepSize, restarts, randomStart, loss, clipMin, clipMax, newSeed);
        }

        /** Whether an input box is set (either end finite). */
        public boolean clips() {
            return clipMin != Double.NEGATIVE_INFINITY || clipMax != Double.POSITIVE_INFINITY;
        }

        /**
         * snake_case entries for a results file: {@code steps, relative_step_size, restarts,
         * random_start, loss, input_box} ({@code [low, high]}, infinite ends as null, or null
         * without a box) and {@code seed}.
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attack", "pgd_l2");
            m.put("steps", steps);
            m.put("relative_step_size", relativeStepSize);
            m.put("restarts", restarts);
            m.put("random_start", randomStart);
            m.put("loss", loss.key());
            m.put("input_box", clips() ? Arrays.asList(finiteOrNull(clipMin), finiteOrNull(clipMax)) : null);
            m.put("seed", seed);
            return m;
        }

        private static Double finiteOrNull(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }

    /**
     * What an attack found, per sample.
     *
     * @param adversarial the returned points, the inputs' shape and element type (a constant)
     * @param success     whether the returned point is misclassified
     * @param margin      {@code s_y − max_{j≠y} s_j} at the returned point (≤ 0 on success)
     * @param distance    {@code ‖x_adv − x‖₂} per sample (≤ ε up to rounding to the element type)
     */
    public record Result(Tensor adversarial, boolean[] success, double[] margin, double[] distance) {
        public Result {
            Messages.notNull("PgdL2.Result", "adversarial", adversarial);
            success = success.clone();
            margin = margin.clone();
            distance = distance.clone();
        }

        @Override
        public boolean[] success() {
            return success.clone();
        }

        @Override
        public double[] margin() {
            return margin.clone();
        }

        @Override
        public double[] distance() {
            return distance.clone();
        }

        /** Fraction of samples whose returned point is misclassified. */
        public double successRate() {
            int n = 0;
            for (boolean s : success) {
                n += s ? 1 : 0;
            }
            return n / (double) success.length;
        }
    }

    private final Config config;

    /** An attack with the given hyper-parameters. */
    /** The recorded gradient program of the last model and batch shape attacked. */
    private InputGradient objective;

    public PgdL2(Config config) {
        Messages.notNull("PgdL2", "config", config);
        this.config = config;
    }

    /** The hyper-parameters. */
    public Config config() {
        return config;
    }

    /**
     * Attacks one batch, random starts drawn from a generator seeded with {@link Config#seed()}.
     *
     * @see #attack(Module, Tensor, int[], double, SplittableRandom)
     */
    public Result attack(Module model, Tensor x, int[] labels, double epsilon) {
        return attack(model, x, labels, epsilon, new SplittableRandom(config.seed()));
    }

    /**
     * Attacks one batch within the ℓ2 ball of radius {@code epsilon} around each sample.
     *
     * @param model   classifier, inputs {@code [batch, ...]} to logits {@code [batch, classes]},
     *                classes ≥ 2; its parameters are not modified and get no gradient
     * @param x       clean inputs {@code [batch, ...]} (vectors {@code [B, d]}, images
     *                {@code [B, C, H, W]}), finite, inside the input box if one is set; not mutated
     * @param labels  {@code int[batch]}, each in {@code [0, classes)}
     * @param epsilon radius, finite, ≥ 0 (0 returns the clean inputs)
     * @param rng     source of the random starts (advanced)
     * @throws IllegalArgumentException naming the argument on a wrong shape, label, radius or box
     * @throws ArithmeticException      if an input or a gradient is NaN or infinite
     */
    public Result attack(Module model, Tensor x, int[] labels, double epsilon, SplittableRandom rng) {
        Messages.notNull(WHERE, "model", model);
        Messages.batch(WHERE, x, labels);
        Messages.radius(WHERE, "epsilon", epsilon);
        Messages.notNull(WHERE, "rng", rng);
        int batch = Math.toIntExact(x.size(0));
        int dim = Math.toIntExact(x.length() / batch);
        long[] shape = x.shape();
        DataType type = x.dtype();
        double[] clean = x.toDoubleArray();
        checkInputs(clean, dim);

        Tensor cleanLogits;
        try (GradMode.Scope scope = GradMode.noGrad()) {
            cleanLogits = model.forward(Tensor.constant(x.value()));
        }
        int classes = Messages.classes(WHERE, "model output", cleanLogits, batch);
        Messages.labels(WHERE, labels, classes);
        Best best = new Best(batch, dim, classes, labels);
        best.offer(clean, cleanLogits.toDoubleArray());

        if (epsilon > 0) {
            double alpha = config.relativeStepSize() * epsilon;
            if (objective == null || !objective.serves(model, config.loss(), shape, type)) {
                objective = new InputGradient(model, config.loss(), shape, type);
            }
            for (int run = 0; run < config.restarts(); run++) {
                boolean random = config.randomStart() || run > 0;
                double[] point = random ? randomStart(clean, batch, dim, epsilon, rng) : clean.clone();
                for (int step = 0; step < config.steps(); step++) {
                    InputGradient.Values at = objective.at(point, labels);
                    best.offer(point, at.logits());
                    ascend(point, clean, at.gradient(), batch, dim, alpha, epsilon, step);
                }
                try (GradMode.Scope scope = GradMode.noGrad()) {
                    Tensor logits = model.forward(Tensor.constant(Nd4j.create(point, shape, 'c').castTo(type)));
                    best.offer(point, logits.toDoubleArray());
                }
            }
        }
        Tensor adversarial = Tensor.constant(Nd4j.create(best.points, shape, 'c').castTo(type));
        double[] stored = adversarial.toDoubleArray();
        double[] distance = new double[batch];
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int i = b * dim; i < (b + 1) * dim; i++) {
                double d = stored[i] - clean[i];
                s += d * d;
            }
            distance[b] = Math.sqrt(s);
        }
        return new Result(adversarial, best.success, best.margin, distance);
    }

    private void checkInputs(double[] clean, int dim) {
        for (int i = 0; i < clean.length; i++) {
            double v = clean[i];
            if (!Double.isFinite(v)) {
                throw new ArithmeticException(WHERE + ": inputs hold " + v + " at sample " + i / dim
                        + ", feature " + i % dim);
            }
            if (v < config.clipMin() || v > config.clipMax()) {
                throw Messages.bad(WHERE, "inputs", "values inside the input box [" + config.clipMin() + ", "
                        + config.clipMax() + "]", v + " at sample " + i / dim + ", feature " + i % dim);
            }
        }
    }

    /** A point uniform (in volume) in the ε-ball around each sample, then clipped to the box. */
    private double[] randomStart(double[] clean, int batch, int dim, double epsilon, SplittableRandom rng) {
        double[] point = new double[clean.length];
        double[] z = new double[dim];
        for (int b = 0; b < batch; b++) {
            double norm2 = 0;
            for (int i = 0; i < dim; i++) {
                z[i] = rng.nextGaussian();
                norm2 += z[i] * z[i];
            }
            double scale = epsilon * Math.pow(rng.nextDouble(), 1.0 / dim) / Math.max(Math.sqrt(norm2), Double.MIN_NORMAL);
            for (int i = 0; i < dim; i++) {
                point[b * dim + i] = clip(clean[b * dim + i] + scale * z[i]);
            }
        }
        return point;
    }

    /** One normalised ascent step, projection onto the ε-ball and clipping, in place on {@code point}. */
    private void ascend(double[] point, double[] clean, double[] g, int batch, int dim, double alpha, double epsilon,
                        int step) {
        for (int b = 0; b < batch; b++) {
            int from = b * dim;
            double gNorm2 = 0;
            for (int i = from; i < from + dim; i++) {
                if (!Double.isFinite(g[i])) {
                    throw new ArithmeticException(WHERE + ": the gradient of the attack loss with respect to the "
                            + "input is " + g[i] + " at sample " + b + ", feature " + (i - from) + ", step " + step);
                }
                gNorm2 += g[i] * g[i];
            }
            double gNorm = Math.sqrt(gNorm2);
            double move = gNorm > 0 ? alpha / gNorm : 0;
            double dNorm2 = 0;
            for (int i = from; i < from + dim; i++) {
                double delta = point[i] + move * g[i] - clean[i];
                point[i] = delta;
                dNorm2 += delta * delta;
            }
            double dNorm = Math.sqrt(dNorm2);
            double shrink = dNorm > epsilon ? epsilon / dNorm : 1;
            for (int i = from; i < from + dim; i++) {
                point[i] = clip(clean[i] + shrink * point[i]);
            }
        }
    }

    private double clip(double v) {
        return Math.min(config.clipMax(), Math.max(config.clipMin(), v));
    }

    /** Per sample, the best point seen so far: misclassified first, then smallest margin. */
    private static final class Best {
        final int dim;
        final int classes;
        final int[] labels;
        final double[] points;
        final double[] margin;
        final boolean[] success;
        boolean empty = true;

        Best(int batch, int dim, int classes, int[] labels) {
            this.dim = dim;
            this.classes = classes;
            this.labels = labels;
            this.points = new double[batch * dim];
            this.margin = new double[batch];
            this.success = new boolean[batch];
        }

        void offer(double[] candidate, double[] logits) {
            Margins.requireFinite(WHERE, logits, classes);
            for (int b = 0; b < margin.length; b++) {
                double m = Margins.margin(logits, b, classes, labels[b]);
                boolean wrong = Margins.predicted(logits, b, classes) != labels[b];
                boolean better = empty || (wrong && !success[b]) || (wrong == success[b] && m < margin[b]);
                if (better) {
                    margin[b] = m;
                    success[b] = wrong;
                    System.arraycopy(candidate, b * dim, points, b * dim, dim);
                }
            }
            empty = false;
        }
    }
}
