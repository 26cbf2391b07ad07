package io.structflow.robustness;

/** Per-row classification margin and predicted class of logits stored row-major {@code [batch, classes]}. */
final class Margins {
    private Margins() {
    }

    /** {@code s_y − max_{j≠y} s_j} of row {@code b}. */
    static double margin(double[] logits, int b, int classes, int label) {
        int from = b * classes;
        double runnerUp = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            if (j != label) {
                runnerUp = Math.max(runnerUp, logits[from + j]);
            }
        }
        return logits[from + label] - runnerUp;
    }

    /** The index of the largest logit of row {@code b}, ties to the lowest index. */
    static int predicted(double[] logits, int b, int classes) {
        int from = b * classes;
        int best = 0;
        for (int j = 1; j < classes; j++) {
            if (logits[from + j] > logits[from + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Throws {@link ArithmeticException} naming the first non-finite logit. */
    static void requireFinite(String where, double[] logits, int classes) {
        for (int i = 0; i < logits.length; i++) {
            if (!Double.isFinite(logits[i])) {
                throw new ArithmeticException(where + ": the model's logits hold " + logits[i] + " at sample "
                        + i / classes + ", class " + i % classes);
            }
        }
    }
}
