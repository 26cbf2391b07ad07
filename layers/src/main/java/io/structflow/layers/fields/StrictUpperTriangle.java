package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Strictly upper triangular n×n matrices from their {@code n(n−1)/2} free entries, which fill the
 * strict upper triangle row by row: entry {@code p} is {@code a_ij}, {@code i < j}, with
 * {@code p = Σ_{r<i}(n − 1 − r) + (j − i − 1)}. The parametrisation of [CMOSS] Thm 2.2 and (4.2),
 * where only {@code A − Aᵀ} matters and so no other entry would have an effect.
 */
final class StrictUpperTriangle {
    private StrictUpperTriangle() {
    }

    /** {@code n(n−1)/2}. */
    static int entries(int n) {
        return n * (n - 1) / 2;
    }

    /**
     * A {@code [batch, n, n]}, its row i the {@code n − 1 − i} entries of {@code v} that follow
     * rows 0..i−1, after {@code i + 1} zeros: one concatenation of slices, O(batch·n²) work.
     *
     * @param v the entries, {@code [batch, n(n−1)/2]}; not mutated
     */
    static Tensor fill(Tensor v, int n) {
        long batch = v.size(0);
        Tensor[] pieces = new Tensor[2 * n - 1];
        long offset = 0;
        for (int i = 0; i < n; i++) {
            pieces[2 * i] = Tensor.zeros(v.dtype(), batch, i + 1);
            if (i < n - 1) {
                pieces[2 * i + 1] = v.slice(1, offset, offset + n - 1 - i);
                offset += n - 1 - i;
            }
        }
        return Tensor.concat(1, pieces).reshape(batch, n, n);
    }

    /**
     * The incidence matrix E {@code [n(n−1)/2, n]} of the entries: the row of {@code a_ij} has
     * {@code +1} at i and {@code −1} at j, so that {@code (A − Aᵀ)𝟏 = vE} for a batch of entries v.
     * Every row sums to 0.
     */
    static Tensor incidence(int n, DataType type) {
        double[] e = new double[entries(n) * n];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, p++) {
                e[p * n + i] = 1;
                e[p * n + j] = -1;
            }
        }
        return Tensor.of(type, e, entries(n), n);
    }
}
