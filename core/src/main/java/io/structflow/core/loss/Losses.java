package io.structflow.core.loss;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
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
     * 2018; the offset cross-entropy of Prach &amp; Lampert, ECCV 2022; with per-pair offsets as in
     * GloRo, Leino, Wang &amp; Fredrikson, ICML 2021): cross-entropy after raising every other class's
     * score by the offset of its pair with the true class, at temperature τ,
     * <pre>
     *   L = (τ/B) Σ_b CE((s_b + O_{y_b,·}) / τ, y_b),     O_{ij} = ε·K_{ij} ≥ 0,  O_{ii} = 0
     * </pre>
     * With {@code K_{ij}} a bound of the Lipschitz constant of {@code s_i − s_j} it is small only when
     * every difference {@code s_y − s_j} exceeds {@code ε·K_{yj}}, the condition that certifies radius
     * ε; {@code K_{ij} = √2·Lip} for every pair is the uniform margin √2·ε·Lip of [CMOSS] (3.1) (the
     * softmax is shift-invariant, so this equals lowering the true score by √2·ε·Lip). τ sets how
     * sharply (the logits of a 1-Lipschitz network are of the size of the input's norm, so τ &lt; 1
     * sharpens them). The offsets may carry a gradient (pair constants computed from the weights).
     *
     * @param logits      scores {@code [batch, classes]}
     * @param labels      {@code int[batch]}, each in {@code [0, classes)}
     * @param offsets     O, {@code [classes, classes]}, of the logits' element type (a certificate's has a zero
     *                    diagonal; {@code O_{yy}} would shift the true score too)
     * @param temperature τ, finite, &gt; 0
     * @return a rank-0 tensor
     */
    public static Tensor lipschitzMarginCrossEntropy(Tensor logits, int[] labels, Tensor offsets, double temperature) {
        requireLabels("lipschitzMarginCrossEntropy", logits, labels);
        long classes = logits.size(1);
        if (offsets == null || offsets.rank() != 2 || offsets.size(0) != classes || offsets.size(1) != classes
                || offsets.dtype() != logits.dtype()) {
            throw new IllegalArgumentException("lipschitzMarginCrossEntropy: offsets expected [" + classes + ", "
                    + classes + "] of " + logits.dtype() + " but got " + (offsets == null ? "null"
                    : Arrays.toString(offsets.shape()) + " of " + offsets.dtype()));
        }
        if (!Double.isFinite(temperature) || !(temperature > 0)) {
            throw new IllegalArgumentException("lipschitzMarginCrossEntropy: temperature expected a finite value > 0 "
                    + "but got " + temperature);
        }
        Tensor rows = Tensor.oneHot(labels, classes, logits.dtype()).matmul(offsets);
        return crossEntropy(logits.add(rows).div(temperature), labels).mul(temperature);
    }

    /**
     * The offsets {@code O_{ij} = offset} for every pair {@code i ≠ j} (0 on the diagonal) of the
     * uniform margin: with {@code offset = √2·ε·Lip}, the certificate of [CMOSS] (3.1).
     *
     * @param classes number of classes ≥ 2
     * @param offset  finite, ≥ 0
     * @param type    element type
     * @return a constant {@code [classes, classes]}
     */
    public static Tensor uniformMarginOffsets(int classes, double offset, DataType type) {
        if (classes < 2) {
            throw new IllegalArgumentException("uniformMarginOffsets: classes expected ≥ 2 but got " + classes);
        }
        if (!Double.isFinite(offset) || offset < 0) {
            throw new IllegalArgumentException("uniformMarginOffsets: offset expected a finite value ≥ 0 but got "
                    + offset);
        }
        double[] o = new double[classes * classes];
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                o[i * classes + j] = i == j ? 0 : offset;
            }
        }
        return Tensor.of(type, o, classes, classes);
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
