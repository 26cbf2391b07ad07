package io.structflow.robustness;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;

/** Argument checks of the robustness package and their messages, kept in one place. */
final class Messages {
    private Messages() {
    }

    /** {@code "<where>: <argument> expected <expected> but got <actual>"}. */
    static IllegalArgumentException bad(String where, String argument, String expected, Object actual) {
        return new IllegalArgumentException(where + ": " + argument + " expected " + expected + " but got " + actual);
    }

    static void notNull(String where, String argument, Object v) {
        if (v == null) {
            throw bad(where, argument, "non-null", "null");
        }
    }

    static int atLeast(String where, String argument, int min, int v) {
        if (v < min) {
            throw bad(where, argument, "an integer ≥ " + min, v);
        }
        return v;
    }

    static double positive(String where, String argument, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw bad(where, argument, "a finite value > 0", v);
        }
        return v;
    }

    static double radius(String where, String argument, double epsilon) {
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw bad(where, argument, "a finite radius ≥ 0", epsilon);
        }
        return epsilon;
    }

    /**
     * Requires an ε grid: at least one value, each finite and ≥ 0, strictly increasing.
     *
     * @return a copy of the grid
     */
    static double[] grid(String where, double[] epsilons) {
        notNull(where, "epsilons", epsilons);
        if (epsilons.length == 0) {
            throw bad(where, "epsilons", "at least one radius", "an empty grid");
        }
        for (int k = 0; k < epsilons.length; k++) {
            radius(where, "epsilons[" + k + "]", epsilons[k]);
            if (k > 0 && !(epsilons[k] > epsilons[k - 1])) {
                throw bad(where, "epsilons[" + k + "]", "a value > epsilons[" + (k - 1) + "] = " + epsilons[k - 1]
                        + " (the grid must be strictly increasing)", epsilons[k]);
            }
        }
        return epsilons.clone();
    }

    /** Requires inputs {@code [batch, ...]} with at least one sample and one label per sample. */
    static void batch(String where, Tensor x, int[] labels) {
        notNull(where, "inputs", x);
        notNull(where, "labels", labels);
        if (x.rank() < 2) {
            throw bad(where, "inputs", "shape [batch, features...] (vectors [N, d] or images [N, C, H, W])",
                    Shapes.str(x.shape()));
        }
        if (x.size(0) == 0 || x.length() == 0) {
            throw bad(where, "inputs", "at least one sample with at least one feature", "shape " + Shapes.str(x.shape()));
        }
        if (labels.length != x.size(0)) {
            throw bad(where, "labels", "one label per sample (" + x.size(0) + " for inputs "
                    + Shapes.str(x.shape()) + ")", labels.length + " labels");
        }
    }

    /** Requires model output {@code [batch, classes]} with at least two classes. */
    static int classes(String where, String argument, Tensor logits, long batch) {
        if (logits.rank() != 2 || logits.size(0) != batch || logits.size(1) < 2) {
            throw bad(where, argument, "logits of shape [" + batch + ", classes] with classes ≥ 2",
                    "shape " + Shapes.str(logits.shape()));
        }
        return (int) logits.size(1);
    }

    /** Requires every label in {@code [0, classes)}. */
    static void labels(String where, int[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw bad(where, "labels[" + i + "]", "a class in [0, " + classes + ")", labels[i]);
            }
        }
    }
}
