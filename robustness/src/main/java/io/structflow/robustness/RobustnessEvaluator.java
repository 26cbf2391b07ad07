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
 *       caller (for structflow models, the layers' {@code Lipschitz.bound(model)}), or more generally
 *       with {@code f_y − f_j > ε·K_yj} for every {@code j ≠ y} for pairwise constants K
 *       ({@link PairwiseLipschitz}); a lower bound of the true robust accuracy, so never above the
 *       robust accuracy when the bounds are valid.</li>
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
        MarginCertificate.lipschitz(WHERE, lipschitz);
        return evaluate(model, inputs, labels, epsilons, PairwiseLipschitz.uniform(lipschitz));
    }

    /**
     * As {@link #evaluate(Module, Tensor, int[], double[], double)} with the pairwise certificate
     * {@code f_y − f_j > ε·K_yj} for every {@code j ≠ y}; the report's bound is {@code pairwise.lipschitz()}.
     *
     * @param pairwise bounds of the Lipschitz constants of the logits' differences, for the model's classes
     * @throws IllegalStateException if the attack breaks a sample certified at that radius (a constant is not a bound)
     */
    public RobustnessReport evaluate(Module model, Tensor inputs, int[] labels, double[] epsilons,
                                     PairwiseLipschitz pairwise) {
        Messages.notNull(WHERE, "model", model);
        Messages.batch(WHERE, inputs, labels);
        double[] grid = Messages.grid(WHERE, epsilons);
        Messages.notNull(WHERE, "pairwise", pairwise);

        Clean clean = clean("RobustnessEvaluator.evaluate", model, inputs, labels);
        pairwise.requireClasses(WHERE, clean.classes());
        boolean[][] certified = clean.certified(labels, grid, pairwise);
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
                        if (success[i] && certified[k][idx[i]]) {
                            throw new IllegalStateException(WHERE + ": sample " + idx[i] + " is certified at ε = "
                                    + grid[k] + " (margin " + clean.margins()[idx[i]] + ", f_y − f_j > ε·K_yj for "
                                    + "every j ≠ y, L = " + pairwise.lipschitz() + ") but the attack found a "
                                    + "misclassified point within ε: the constants do not bound the model's");
                        }
                        robust[idx[i]] &= !success[i];
                    }
                }
            }
            robustAccuracy[k] = indicesOf(robust).length / (double) n;
        }
        double[] certifiedAccuracy = new double[grid.length];
        for (int k = 0; k < grid.length; k++) {
            certifiedAccuracy[k] = indicesOf(certified[k]).length / (double) n;
        }
        return new RobustnessReport(n, correct / (double) n, grid, robustAccuracy, certifiedAccuracy,
                pairwise.lipschitz(), attack.config());
    }

    /**
     * Which samples are certified at each radius: {@code f_y − f_j > ε·K_yj} for every {@code j ≠ y}
     * (clean logits computed in batches without recording a graph).
     *
     * @param epsilons radii, each finite and ≥ 0 (any order)
     * @param pairwise bounds of the Lipschitz constants of the logits' differences, for the model's classes
     * @return {@code [radius][sample]}
     */
    public boolean[][] certified(Module model, Tensor inputs, int[] labels, double[] epsilons,
                                 PairwiseLipschitz pairwise) {
        String where = "RobustnessEvaluator.certified";
        Messages.notNull(where, "epsilons", epsilons);
        Messages.notNull(where, "pairwise", pairwise);
        for (int k = 0; k < epsilons.length; k++) {
            Messages.radius(where, "epsilons[" + k + "]", epsilons[k]);
        }
        Clean clean = clean(where, model, inputs, labels);
        pairwise.requireClasses(where, clean.classes());
        return clean.certified(labels, epsilons, pairwise);
    }

    /**
     * Clean logits (row-major {@code [N, classes]}), margins and correctness (largest logit at the label,
     * ties to the lowest index).
     */
    private record Clean(double[] logits, int classes, double[] margins, boolean[] correct) {
        boolean[][] certified(int[] labels, double[] epsilons, PairwiseLipschitz pairwise) {
            boolean[][] out = new boolean[epsilons.length][labels.length];
            for (int k = 0; k < epsilons.length; k++) {
                for (int i = 0; i < labels.length; i++) {
                    out[k][i] = pairwise.isCertified(logits, i, classes, labels[i], epsilons[k]);
                }
            }
            return out;
        }
    }

    private Clean clean(String where, Module model, Tensor inputs, int[] labels) {
        Messages.notNull(where, "model", model);
        Messages.batch(where, inputs, labels);
        int n = labels.length;
        double[] margins = new double[n];
        boolean[] correct = new boolean[n];
        double[] all = null;
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
                all = new double[n * classes];
            } else if (c != classes) {
                throw Messages.bad(where, "model output", classes + " classes in every batch", c + " classes for "
                        + "samples " + from + ".." + (from + idx.length - 1));
            }
            int[] y = Arrays.copyOfRange(labels, from, from + idx.length);
            System.arraycopy(MarginCertificate.margins(logits, y), 0, margins, from, idx.length);
            double[] s = logits.toDoubleArray();
            System.arraycopy(s, 0, all, from * classes, s.length);
            for (int i = 0; i < idx.length; i++) {
                correct[from + i] = Margins.predicted(s, i, c) == y[i];
            }
        }
        return new Clean(all, classes, margins, correct);
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
