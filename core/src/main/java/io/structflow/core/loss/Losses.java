package io.structflow.core.loss;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Losses on batches, each the mean over the batch, built from tensor operations so that their
 * gradients (and gradients of gradients) come from reverse mode. Shapes: predictions and
 * logits are batch first; class labels are {@code int[batch]} with values in
 * {@code [0, classes)}.
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Mean squared error over every element (PyTorch's {@code MSELoss}, reduction mean):
     * <pre>
     *   L = (1/n) Σᵢ (predᵢ − targetᵢ)²
     * </pre>
     *
     * @param pred   predictions, any shape
     * @param target targets, the same shape and element type as {@code pred}
     * @return a rank-0 tensor
     */
    public static Tensor mse(Tensor pred, Tensor target) {
        requireNonNull("mse", "pred", pred);
        requireNonNull("mse", "target", target);
        if (!Arrays.equals(pred.shape(), target.shape())) {
            throw new IllegalArgumentException("mse: target expected the shape of pred " + Shapes.str(pred.shape())
                    + " but got " + Shapes.str(target.shape()));
        }
        return pred.sub(target).square().mean();
    }

    /**
     * Cross-entropy of softmax probabilities against class labels, averaged over the batch
     * (PyTorch's {@code CrossEntropyLoss} on logits):
     * <pre>
     *   L = −(1/B) Σ_b log softmax(s_b)_{y_b} = (1/B) Σ_b (log Σ_j e^{s_bj} − s_{b,y_b})
     * </pre>
     * computed as {@code logSoftmax} then {@code gather}, stable for large logits.
     *
     * @param logits scores {@code [batch, classes]}
     * @param labels {@code int[batch]}, each in {@code [0, classes)}
     * @return a rank-0 tensor
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        requireLabels("crossEntropy", logits, labels);
        return logits.logSoftmax(1).gather(labels).mean().neg();
    }

    /**
     * The Lipschitz-margin cross-entropy of certified training (Tsuzuku, Sato &amp; Sugiyama, NeurIPS
     * 2018; the offset cross-entropy of Prach &amp; Lampert, ECCV 2022): cross-entropy after lowering
     * the true class's score by {@code offset}, at temperature τ,
     * <pre>
     *   L = (τ/B) Σ_b CE((s_b − offset·e_{y_b}) / τ, y_b)
     * </pre>
     * With {@code offset = √2·ε·Lip} it is small only when every margin exceeds √2·ε·Lip, the
     * margin that certifies radius ε ({@code MarginCertificate}, [CMOSS] (3.1)); τ sets how sharply
     * (the logits of a 1-Lipschitz network are of the size of the input's norm, so τ &lt; 1 sharpens them).
     *
     * @param logits      scores {@code [batch, classes]}
     * @param labels      {@code int[batch]}, each in {@code [0, classes)}
     * @param offset      finite, ≥ 0
     * @param temperature τ, finite, &gt; 0
     * @return a rank-0 tensor
     */
    public static Tensor lipschitzMarginCrossEntropy(Tensor logits, int[] labels, double offset, double temperature) {
        requireLabels("lipschitzMarginCrossEntropy", logits, labels);
        if (!Double.isFinite(offset) || offset < 0) {
            throw new IllegalArgumentException("lipschitzMarginCrossEntropy: offset expected a finite value ≥ 0 but got "
                    + offset);
        }
        if (!Double.isFinite(temperature) || !(temperature > 0)) {
            throw new IllegalArgumentException("lipschitzMarginCrossEntropy: temperature expected a finite value > 0 "
                    + "but got " + temperature);
        }
        Tensor shifted = logits.sub(Tensor.oneHot(labels, logits.size(1), logits.dtype()).mul(offset));
        return crossEntropy(shifted.div(temperature), labels).mul(temperature);
    }

    /**
     * Multi-class hinge loss with margin (PyTorch's {@code MultiMarginLoss}, p = 1), the loss of
     * the robust classifiers of [CMOSS] §3.3 (margin 0.15 there):
     * <pre>
     *   L = (1/B) Σ_b (1/C) Σ_{j ≠ y_b} max(0, margin − s_{b,y_b} + s_{b,j})
     * </pre>
     * It is zero exactly when every score of a wrong class is at least {@code margin} below the
     * score of the true class — the margin that, divided by √2·Lip, certifies robustness
     * ([CMOSS] (3.1)).
     *
     * @param logits scores {@code [batch, classes]}
     * @param labels {@code int[batch]}, each in {@code [0, classes)}
     * @param margin finite, ≥ 0
     * @return a rank-0 tensor
     */
    public static Tensor multiClassHinge(Tensor logits, int[] labels, double margin) {
        requireLabels("multiClassHinge", logits, labels);
        if (!Double.isFinite(margin) || margin < 0) {
            throw new IllegalArgumentException("multiClassHinge: margin expected a finite value ≥ 0 but got " + margin);
        }
        long batch = logits.size(0);
        long classes = logits.size(1);
        // Σ_{j≠y} max(0, m − s_y + s_j) = Σ_j max(0, m − s_y + s_j) − m, since the j = y term is
        // max(0, m) = m; summing over every class needs no label mask built on the host, so a
        // replayed step (CompiledStep) stays correct when the labels change.
        Tensor trueScore = logits.gather(labels).reshape(batch, 1);
        Tensor violations = logits.sub(trueScore).add(margin).relu().sum().sub(margin * batch);
        return violations.div((double) batch * classes);
    }

    /**
     * Fraction of rows whose largest score is at the label (ties go to the lowest index).
     *
     * @param logits scores {@code [batch, classes]}
     * @param labels {@code int[batch]}, each in {@code [0, classes)}
     * @return accuracy in [0, 1]
     */
    public static double accuracy(Tensor logits, int[] labels) {
        requireLabels("accuracy", logits, labels);
        long[] predicted = logits.value().argMax(1).toLongVector();
        int correct = 0;
        for (int b = 0; b < labels.length; b++) {
            if (predicted[b] == labels[b]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }

    private static void requireNonNull(String where, String name, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(where + ": " + name + " expected a tensor but got null");
        }
    }

    private static void requireLabels(String where, Tensor logits, int[] labels) {
        requireNonNull(where, "logits", logits);
        if (labels == null) {
            throw new IllegalArgumentException(where + ": labels expected int[batch] but got null"
                    + " (a regression batch has no labels)");
        }
        if (logits.rank() != 2 || logits.size(0) != labels.length) {
            throw new IllegalArgumentException(where + ": logits expected shape [" + labels.length
                    + ", classes] (one row per label) but got " + Shapes.str(logits.shape()));
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException(where + ": labels expected at least one label but got none");
        }
        long classes = logits.size(1);
        for (int b = 0; b < labels.length; b++) {
            if (labels[b] < 0 || labels[b] >= classes) {
                throw new IllegalArgumentException(where + ": labels[" + b + "] expected in [0, " + classes
                        + ") but got " + labels[b]);
            }
        }
    }
}
