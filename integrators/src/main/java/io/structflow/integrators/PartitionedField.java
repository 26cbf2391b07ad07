package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.internal.Checks;

/**
 * A field on a state split as {@code x = [q, p]} along the last axis, {@code d} entries each:
 * {@code q̇ = f_q(q, p)}, {@code ṗ = f_p(q, p)} — the partitioned form that symplectic Euler and
 * Störmer–Verlet work on (Hairer, Lubich, Wanner, <i>Geometric Numerical Integration</i>, 2nd ed.,
 * Springer 2006, §II.2, doi:10.1007/3-540-30666-8).
 */
public interface PartitionedField extends VectorField {
    /**
     * {@code f_q(q, p)}.
     *
     * @param q positions {@code [batch, d]}; not mutated
     * @param p momenta {@code [batch, d]}; not mutated
     * @return {@code [batch, d]}
     */
    Tensor qVelocity(Tensor q, Tensor p);

    /**
     * {@code f_p(q, p)}.
     *
     * @param q positions {@code [batch, d]}; not mutated
     * @param p momenta {@code [batch, d]}; not mutated
     * @return {@code [batch, d]}
     */
    Tensor pVelocity(Tensor q, Tensor p);

    /** {@code (f_q, f_p)} concatenated along the last axis. */
    @Override
    default Tensor apply(Tensor x) {
        Tensor q = positions(x);
        Tensor p = momenta(x);
        return Tensor.concat(-1, qVelocity(q, p), pVelocity(q, p));
    }

    /**
     * The first half {@code q} of {@code x = [q, p]} along the last axis.
     *
     * @param x {@code [batch, 2d]}
     * @return {@code [batch, d]} (a copy)
     * @throws IllegalArgumentException if the last axis has odd size
     */
    static Tensor positions(Tensor x) {
        long d = Checks.halfDimension("PartitionedField.positions", x);
        return x.slice(-1, 0, d);
    }

    /**
     * The second half {@code p} of {@code x = [q, p]} along the last axis.
     *
     * @param x {@code [batch, 2d]}
     * @return {@code [batch, d]} (a copy)
     * @throws IllegalArgumentException if the last axis has odd size
     */
    static Tensor momenta(Tensor x) {
        long d = Checks.halfDimension("PartitionedField.momenta", x);
        return x.slice(-1, d, 2 * d);
    }
}
