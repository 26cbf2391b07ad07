package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import java.util.Objects;

/**
 * A field written as a sum {@code f = f₁ + f₂} of two fields, each of which an integrator of its
 * own can step: the input of splitting methods (McLachlan, Quispel, <i>Splitting methods</i>,
 * Acta Numerica 11 (2002), doi:10.1017/S0962492902000053). The type parameters carry the
 * pieces' types, so {@code Splitting<SeparableHamiltonian, VectorField>} only accepts a split
 * whose first piece is a separable Hamiltonian.
 *
 * @param <A> type of the first piece
 * @param <B> type of the second piece
 */
public interface SplitField<A extends VectorField, B extends VectorField> extends VectorField {
    /** The first piece {@code f₁}. */
    A first();

    /** The second piece {@code f₂}. */
    B second();

    /** {@code f₁(x) + f₂(x)}. */
    @Override
    default Tensor apply(Tensor x) {
        return first().apply(x).add(second().apply(x));
    }

    /** The split {@code f = first + second}. */
    static <A extends VectorField, B extends VectorField> SplitField<A, B> of(A first, B second) {
        return new Sum<>(first, second);
    }

    /**
     * The plain sum of two fields.
     *
     * @param first  {@code f₁}
     * @param second {@code f₂}
     * @param <A>    type of {@code f₁}
     * @param <B>    type of {@code f₂}
     */
    record Sum<A extends VectorField, B extends VectorField>(A first, B second) implements SplitField<A, B> {
        /** Rejects null pieces. */
        public Sum {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
        }
    }
}
