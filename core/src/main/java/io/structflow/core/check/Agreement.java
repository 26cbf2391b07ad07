package io.structflow.core.check;

import io.structflow.core.autodiff.Tensor;
import java.util.Arrays;

/**
 * How closely two computations of the same tensors agree, e.g. gradients by two methods:
 * <pre>  max_{i, k} |a_i[k] − b_i[k]|  /  max_{i, k} |b_i[k]|</pre>
 * the largest entry-wise difference relative to the largest entry of the reference.
 */
public final class Agreement {
    private Agreement() {
    }

    /**
     * @param actual   tensors to judge; not mutated
     * @param expected the reference, one per actual tensor, same shapes; not mutated
     * @return the relative difference above; 0 when both are all zeros, +∞ when only the reference is
     * @throws IllegalArgumentException if the counts or shapes differ
     */
    public static double relativeDifference(Tensor[] actual, Tensor[] expected) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException("Agreement.relativeDifference: expected " + expected.length
                    + " tensors but got " + actual.length);
        }
        double difference = 0;
        double scale = 0;
        for (int i = 0; i < actual.length; i++) {
            if (!Arrays.equals(actual[i].shape(), expected[i].shape())) {
                throw new IllegalArgumentException("Agreement.relativeDifference: tensor " + i + " expected shape "
                        + Arrays.toString(expected[i].shape()) + " but got " + Arrays.toString(actual[i].shape()));
            }
            double[] a = actual[i].toDoubleArray();
            double[] b = expected[i].toDoubleArray();
            for (int k = 0; k < a.length; k++) {
                difference = Math.max(difference, Math.abs(a[k] - b[k]));
                scale = Math.max(scale, Math.abs(b[k]));
            }
        }
        return difference == 0 ? 0 : difference / scale;
    }
}
