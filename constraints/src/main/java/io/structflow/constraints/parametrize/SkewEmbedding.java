package io.structflow.constraints.parametrize;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;

/**
 * The rectangular convention shared by the orthogonal parametrisations: a raw {@code [m, n]}
 * weight is placed in the top-left corner of a {@code k×k} zero matrix, {@code k = max(m, n)},
 * giving the skew-symmetric {@code S = W̃ − W̃ᵀ}; the orthogonal {@code k×k} result Q is cut back
 * to {@code [m, n]}: its first n columns when m ≥ n (orthonormal columns, AᵀA = I), its first m
 * rows when m &lt; n (orthonormal rows, AAᵀ = I).
 */
final class SkewEmbedding {
    private SkewEmbedding() {
    }

    static Tensor skew(String where, Tensor raw) {
        if (raw.rank() != 2) {
            throw new IllegalArgumentException(where + ": raw weight expected a matrix [m, n] but got shape "
                    + Shapes.str(raw.shape()));
        }
        long m = raw.size(0);
        long n = raw.size(1);
        long k = Math.max(m, n);
        Tensor square = m == n ? raw : raw.pad(new long[] {0, 0}, new long[] {k - m, k - n});
        return square.sub(square.transpose());
    }

    static Tensor crop(Tensor q, long m, long n) {
        return q.size(0) == m && q.size(1) == n ? q : q.region(new long[] {0, 0}, new long[] {m, n});
    }
}
