package io.structflow.examples.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Sequential;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class PairLowerBoundsTest {
    @Test
    void pairLowerBounds_ofALinearMap_areTheRowDifferencesNorms() {
        SplittableRandom rng = new SplittableRandom(4);
        int classes = 5;
        int in = 7;
        Tensor w = Tensor.randn(DataType.DOUBLE, rng, classes, in);
        Sequential model = new Sequential(Linear.fromWeights(w, Tensor.randn(DataType.DOUBLE, rng, classes)));
        Tensor x = Tensor.randn(DataType.DOUBLE, rng, 3, in);
        Tensor far = Tensor.randn(DataType.DOUBLE, rng, 3, in);
        double[][] lower = CertifyExperiment.pairLowerBounds(model, x, far, classes);
        double[] rows = w.toDoubleArray();
        for (int i = 0; i < classes; i++) {
            assertEquals(0.0, lower[i][i], 0.0);
            for (int j = 0; j < classes; j++) {
                double sq = 0;
                for (int e = 0; e < in; e++) {
                    double d = rows[i * in + e] - rows[j * in + e];
                    sq += d * d;
                }
                // f_i − f_j = (w_i − w_j)ᵀx + c: its gradient norm, the largest quotient there is, is ‖w_i − w_j‖
                assertEquals(Math.sqrt(sq), lower[i][j], 1e-12 * Math.sqrt(sq), "pair " + i + ", " + j);
            }
        }
    }
}
