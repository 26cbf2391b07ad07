package io.structflow.robustness;

import io.structflow.core.autodiff.Tensor;

/**
 * The objective an attack ascends, summed over the batch so that each sample's gradient is its
 * own (the samples of a batch do not interact). With logits {@code s = f(x)} {@code [batch,
 * classes]} and labels {@code y}:
 * <pre>
 *   CROSS_ENTROPY:  ℓ(x) = log Σ_j e^{s_j} − s_y
 *   MARGIN:         ℓ(x) = max_{j≠y} s_j − s_y        (Carlini–Wagner's margin, un-clamped)
 * </pre>
 * The margin loss is the negative of the margin {@code s_y − max_{j≠y} s_j} that the
 * certificate of [CMOSS] (3.1) bounds, so ascending it drives the sample towards the nearest
 * decision boundary; it is positive exactly when the sample is misclassified (up to ties).
 * Cross-entropy is Foolbox's and the paper's default.
 *
 * <p>Reference: N. Carlini, D. Wagner, <i>Towards evaluating the robustness of neural
 * networks</i>, IEEE S&amp;P 2017, doi:10.1109/SP.2017.49.
 */
public enum AttackLoss {
    /** {@code log Σ_j e^{s_j} − s_y}: cross-entropy of the softmax probabilities. */
    CROSS_ENTROPY("cross_entropy") {
        @Override
        public Tensor objective(Tensor logits, int[] labels) {
            check(logits, labels);
            return logits.logSoftmax(1).gather(labels).sum().neg();
        }
    },
    /** {@code max_{j≠y} s_j − s_y}: the negated classification margin. */
    MARGIN("margin") {
        @Override
        public Tensor objective(Tensor logits, int[] labels) {
            check(logits, labels);
            // Lower the true class below every other one by a constant shift (the row's range + 1),
            // so the row maximum is the runner-up and its gradient is exactly that of max_{j≠y} s_j.
            // Tensor ops only (labels read by reference), so a recorded attack step replays.
            Tensor s = logits.detach();
            Tensor range = s.max(true, 1).add(s.neg().max(true, 1)).add(1.0);
            Tensor shift = Tensor.oneHot(labels, logits.size(1), logits.dtype()).mul(range);
            Tensor runnerUp = logits.sub(shift).max(false, 1);
            return runnerUp.sub(logits.gather(labels)).sum();
        }
    };

    private final String key;

    AttackLoss(String key) {
        this.key = key;
    }

    /**
     * The objective summed over the batch, a rank-0 tensor differentiable in the logits.
     *
     * @param logits scores {@code [batch, classes]}, classes ≥ 2
     * @param labels {@code int[batch]}, each in {@code [0, classes)}
     */
    public abstract Tensor objective(Tensor logits, int[] labels);

    /** The snake_case name used in results files ({@code "cross_entropy"}, {@code "margin"}). */
    public String key() {
        return key;
    }

    private static void check(Tensor logits, int[] labels) {
        String where = "AttackLoss.objective";
        Messages.notNull(where, "logits", logits);
        Messages.notNull(where, "labels", labels);
        Messages.classes(where, "logits", logits, labels.length);
        Messages.labels(where, labels, (int) logits.size(1));
    }
}
