package io.structflow.robustness;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Linear;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Affine classifiers {@code s = Wx + b} in float64 and their closed-form ℓ2 robustness. */
final class LinearClassifiers {
    static final DataType D = DataType.DOUBLE;

    private LinearClassifiers() {
    }

    /** A {@link Linear} layer holding exactly {@code w [classes][d]} and {@code b [classes]}. */
    static Linear of(double[][] w, double[] b) {
        Linear model = new Linear(w[0].length, w.length, true, D, new SplittableRandom(0));
        model.weight().updateInPlace(Nd4j.create(w).castTo(D));
        model.bias().updateInPlace(Nd4j.create(b).castTo(D));
        return model;
    }

    static double[][] randomMatrix(SplittableRandom rng, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return m;
    }

    static double[] logits(double[][] w, double[] b, double[] x) {
        double[] s = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            s[j] = b[j];
            for (int i = 0; i < x.length; i++) {
                s[j] += w[j][i] * x[i];
            }
        }
        return s;
    }

    static int argmax(double[] s) {
        int best = 0;
        for (int j = 1; j < s.length; j++) {
            if (s[j] > s[best]) {
                best = j;
            }
        }
        return best;
    }

    /** ‖w_a − w_c‖₂. */
    static double rowDistance(double[][] w, int a, int c) {
        double s = 0;
        for (int i = 0; i < w[a].length; i++) {
            s += (w[a][i] - w[c][i]) * (w[a][i] - w[c][i]);
        }
        return Math.sqrt(s);
    }

    /**
     * The smallest margin {@code s_y − max_{j≠y} s_j} over {@code ‖δ‖₂ ≤ ε}:
     * {@code min_{j≠y} (s_y − s_j − ε‖w_y − w_j‖)}, since each difference is affine.
     */
    static double worstMargin(double[][] w, double[] b, double[] x, int y, double epsilon) {
        double[] s = logits(w, b, x);
        double worst = Double.POSITIVE_INFINITY;
        for (int j = 0; j < w.length; j++) {
            if (j != y) {
                worst = Math.min(worst, s[y] - s[j] - epsilon * rowDistance(w, y, j));
            }
        }
        return worst;
    }

    /** The distance to the nearest point where another class scores at least as high as {@code y}. */
    static double flipRadius(double[][] w, double[] b, double[] x, int y) {
        double[] s = logits(w, b, x);
        double r = Double.POSITIVE_INFINITY;
        for (int j = 0; j < w.length; j++) {
            if (j != y) {
                r = Math.min(r, (s[y] - s[j]) / rowDistance(w, y, j));
            }
        }
        return r;
    }

    /** ‖W‖₂ of a matrix with two columns: the square root of the largest eigenvalue of WᵀW (2 × 2). */
    static double spectralNormTwoColumns(double[][] w) {
        double a = 0;
        double c = 0;
        double off = 0;
        for (double[] row : w) {
            a += row[0] * row[0];
            c += row[1] * row[1];
            off += row[0] * row[1];
        }
        double lambda = (a + c) / 2 + Math.sqrt((a - c) * (a - c) / 4 + off * off);
        return Math.sqrt(lambda);
    }

    static Tensor rows(double[][] x) {
        return Tensor.constant(Nd4j.create(x).castTo(D));
    }
}
