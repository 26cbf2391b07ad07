package io.structflow.robustness;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Robust and certified accuracy of a classifier over a grid of ℓ2 radii, in batches, as in the
 * experiments of [CMOSS] §3.3.
 *
 * <ul>
 *   <li><b>Clean accuracy</b>: the fraction of samples whose largest logit is at the label.</li>
 *   <li><b>Robust accuracy at ε</b>: the fraction of samples correctly classified clean for
 *       which {@link PgdL2} finds no misclassified point within distance ε. A sample
 *       misclassified clean is not robust at any ε. The radii are visited in increasing order
 *       and an adversarial point found at ε is also one at every larger radius, so a sample
 *       broken at ε counts as broken at every larger ε and is not attacked again: the curve is
 *       non-increasing by construction and each value is an upper bound of the true robust
 *       accuracy. At ε = 0 it equals the clean accuracy.</li>
 *   <li><b>Certified accuracy at ε</b>: the fraction with {@code margin > √2·ε·L}
 *       ({@link MarginCertificate}, [CMOSS] (3.1)) for a Lipschitz bound {@code L} supplied by the
 *       caller (for structflow models, the layers' {@code Lipschitz.bound(model)}); a lower bound
 *       of the true robust accuracy, so never above the robust accuracy when L is a valid
 *       bound.</li>
 *   <li>The areas under both curves, see {@link RobustnessReport}.</li>
 * </ul>
 * An attack never beats a certificate when L is a true bound; this is checked for every sample
 * and radius, and a contradiction (a certified sample the attack breaks) is an error naming the
 * sample, never a figure.
 *
 * <p>Cost: one forward pass over the data, then for each ε &gt; 0 one attack (steps × restarts
 * forward–backward passes) over the samples still robust at the previous radius. Random starts
 * come from one generator seeded with the attack's seed, consumed in data order, so a report is
 * reproducible for a given batch size.
 */
public final class RobustnessEvaluator {
    private static final String WHERE = "RobustnessEvaluator.evaluate";

    private final PgdL2 attack;
    private final int batchSize;

    /**
     * @param attack    the attack run at each radius
     * @param batchSize samples per forward/attack batch, ≥ 1
     */
    public RobustnessEvaluator(PgdL2 attack, int batchSize) {
        Messages.notNull("RobustnessEvaluator", "attack", attack);
        this.attack = attack;
        this.batchSize = Messages.atLeast("RobustnessEvaluator", "batchSize", 1, batchSize);
    }

    /** The attack run at each radius. */
    public PgdL2 attack() {
        return attack;
    }

    /** Samples per batch. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Evaluates clean, robust and certified accuracy over a grid of radii.
     *
     * @param model     classifier, inputs {@code [batch, ...]} to logits {@code [batch, classes]},
     *                  classes ≥ 2; not modified, its parameters get no gradient
     * @param inputs    samples {@code [N, d]} or {@code [N, C, H, W]} (any shape {@code [N, ...]}
     *                  the model accepts), N ≥ 1, finite, inside the attack's input box; not mutated
     * @param labels    {@code int[N]}, each in {@code [0, classes)}
     * @param epsilons  radii, strictly increasing, each finite and ≥ 0 (start at 0 to include the
     *                  clean accuracy in the curves)
     * @param lipschitz an upper bound of the model's ℓ2 Lipschitz constant, ≥ 0; +∞ when none is
     *                  known (nothing is then certified at ε &gt; 0)
     * @throws IllegalArgumentException naming the argument on a wrong shape, label, radius or bound
     * @throws ArithmeticException      if the model produces non-finite logits or gradients
     * @throws IllegalStateException    if the attack breaks a sample certified at that radius (L is not a bound)
     */
    public RobustnessReport evaluate(Module model, Tensor inputs, int[] labels, double[] epsilons, double lipschitz) {
        Messages.notNull(WHERE, "model", model);
        Messages.batch(WHERE, inputs, labels);
        double[] grid = Messages.grid(WHERE, epsilons);
        MarginCertificate.lipschitz(WHERE, lipschitz);

        Clean clean = clean("RobustnessEvaluator.evaluate", model, inputs, labels);
        double[] margins = clean.margins();
        boolean[] robust = clean.correct().clone();
        int n = labels.length;
        int correct = indicesOf(robust).length;

        double[] robustAccuracy = new double[grid.length];
        SplittableRandom rng = new SplittableRandom(attack.config().seed());
        Rows rows = new Rows(inputs);
        for (int k = 0; k < grid.length; k++) {
            if (grid[k] > 0) {
                int[] alive = indicesOf(robust);
                for (int from = 0; from < alive.length; from += batchSize) {
                    int[] idx = Arrays.copyOfRange(alive, from, Math.min(alive.length, from + batchSize));
                    int[] y = new int[idx.length];
                    for (int i = 0; i < idx.length; i++) {
                        y[i] = labels[idx[i]];
                    }
                    boolean[] success = attack.attack(model, rows.get(idx), y, grid[k], rng).success();
                    for (int i = 0; i < idx.length; i++) {
                        if (success[i] && MarginCertificate.isCertified(margins[idx[i]], grid[k], lipschitz)) {
                            throw new IllegalStateException(WHERE + ": sample " + idx[i] + " is certified at ε = "
                                    + grid[k] + " (margin " + margins[idx[i]] + " > √2·ε·L with L = " + lipschitz
                                    + ") but the attack found a misclassified point within ε: L is not an upper bound "
                                    + "of the model's Lipschitz constant");
                        }
                        robust[idx[i]] &= !success[i];
                    }
                }
            }
            robustAccuracy[k] = indicesOf(robust).length / (double) n;
        }
        double[] certified = MarginCertificate.certifiedAccuracy(margins, grid, lipschitz);
        return new RobustnessReport(n, correct / (double) n, grid, robustAccuracy, certified, lipschitz,
                attack.config());
    }

    /**
     * Clean margins {@code f(x)_y − max_{j≠y} f(x)_j} of every sample, computed in batches
     * without recording a graph.
     *
     * @param model  classifier, inputs {@code [batch, ...]} to logits {@code [batch, classes]}
     * @param inputs samples {@code [N, ...]}, N ≥ 1
     * @param labels {@code int[N]}, each in {@code [0, classes)}
     */
    public double[] margins(Module model, Tensor inputs, int[] labels) {
        return clean("RobustnessEvaluator.margins", model, inputs, labels).margins();
    }

    /** Clean margins and correctness (largest logit at the label, ties to the lowest index). */
    private record Clean(double[] margins, boolean[] correct) {
    }

    private Clean clean(String where, Module model, Tensor inputs, int[] labels) {
        Messages.notNull(where, "model", model);
        Messages.batch(where, inputs, labels);
        int n = labels.length;
        double[] margins = new double[n];
        boolean[] correct = new boolean[n];
        Rows rows = new Rows(inputs);
        int classes = -1;
        for (int from = 0; from < n; from += batchSize) {
            int[] idx = range(from, Math.min(n, from + batchSize));
            Tensor logits;
            try (GradMode.Scope scope = GradMode.noGrad()) {
                logits = model.forward(rows.get(idx));
            }
            int c = Messages.classes(where, "model output", logits, idx.length);
            if (classes < 0) {
                classes = c;
                Messages.labels(where, labels, classes);
            } else if (c != classes) {
                throw Messages.bad(where, "model output", classes + " classes in every batch", c + " classes for "
                        + "samples " + from + ".." + (from + idx.length - 1));
            }
            int[] y = Arrays.copyOfRange(labels, from, from + idx.length);
            System.arraycopy(MarginCertificate.margins(logits, y), 0, margins, from, idx.length);
            double[] s = logits.toDoubleArray();
            for (int i = 0; i < idx.length; i++) {
                correct[from + i] = Margins.predicted(s, i, c) == y[i];
            }
        }
        return new Clean(margins, correct);
    }

    private static int[] indicesOf(boolean[] flags) {
        int count = 0;
        for (boolean f : flags) {
            count += f ? 1 : 0;
        }
        int[] out = new int[count];
        for (int i = 0, j = 0; i < flags.length; i++) {
            if (flags[i]) {
                out[j++] = i;
            }
        }
        return out;
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    /** Selected samples of {@code [N, ...]} inputs as a new constant tensor {@code [k, ...]}. */
    private static final class Rows {
        private final INDArray flat;
        private final long[] shape;

        Rows(Tensor inputs) {
            this.shape = inputs.shape();
            this.flat = inputs.value().reshape('c', shape[0], inputs.length() / shape[0]);
        }

        Tensor get(int[] idx) {
            long[] s = shape.clone();
            s[0] = idx.length;
            return Tensor.constant(flat.getRows(idx).reshape('c', s));
        }
    }
}
