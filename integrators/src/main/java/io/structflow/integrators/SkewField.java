package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.internal.Checks;
import java.util.Objects;
import java.util.function.Function;

/**
 * A sphere-preserving field {@code f(x) = S(x) x} with {@code S(x)} skew-symmetric for every
 * {@code x}, [CMOSS] §4.1 (Thm 2.2): {@code d/dt ‖x‖² = 2xᵀS(x)x = 0}, so every sphere is
 * invariant (e.g. {@code S(x) = A(x) − A(x)ᵀ}).
 *
 * <p>Integrators that keep {@code ‖x‖} exactly need {@code S(x)} itself, not only {@code f(x)}.
 */
public interface SkewField extends VectorField {
    /**
     * The skew-symmetric matrix at each sample.
     *
     * @param x states {@code [batch, n]}; not mutated
     * @return {@code S(x)}, {@code [batch, n, n]} with {@code S = −Sᵀ} per sample
     */
    Tensor skew(Tensor x);

    /** {@code S(x) x}. */
    @Override
    default Tensor apply(Tensor x) {
        Checks.requireRank("SkewField.apply", "x", x, 2);
        Tensor s = skew(x);
        Checks.requireShape("SkewField.apply", "skew(x)", s, x.size(0), x.size(1), x.size(1));
        return s.matmul(x.reshape(x.size(0), x.size(1), 1)).reshape(x.size(0), x.size(1));
    }

    /**
     * The field {@code S(x)x} for a given skew matrix function.
     *
     * @param skew maps {@code [batch, n]} to skew-symmetric {@code [batch, n, n]}
     */
    static SkewField of(Function<Tensor, Tensor> skew) {
        Objects.requireNonNull(skew, "skew");
        return skew::apply;
    }
}
