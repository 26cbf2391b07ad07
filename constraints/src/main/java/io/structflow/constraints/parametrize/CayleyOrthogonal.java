package io.structflow.constraints.parametrize;

import io.structflow.constraints.guarantee.Orthonormal;
import io.structflow.core.autodiff.LinearSolve;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parametrization;
import java.util.List;

/**
 * The Cayley parametrisation of orthogonal matrices,
 * <pre>
 *   S = W̃ − W̃ᵀ,   A = (I − S)(I + S)⁻¹ = (I + S)⁻¹(I − S) = solve(I + S, I − S)
 * </pre>
 * (the two products agree because I − S and I + S commute). I + S is invertible for every
 * skew-symmetric S (its eigenvalues are 1 + iλ), and {@code AᵀA = (I+S)⁻ᵀ(I−S)ᵀ(I−S)(I+S)⁻¹ = I}.
 * It reaches the orthogonal matrices without eigenvalue −1. Rectangular weights follow the same
 * padding convention as {@link ExponentialOrthogonal} (first n columns if m ≥ n, first m rows
 * otherwise). Gradients come from {@link LinearSolve}, of every order. Cost: one k×k solve
 * forward and one backward. An alternative to {@code expm} for the orthogonal A of [CMOSS] §1.1.
 * Reference: Helfrich, Willmott &amp; Ye, "Orthogonal recurrent neural networks with scaled Cayley
 * transform", ICML 2018.
 */
public final class CayleyOrthogonal implements Parametrization {
    @Override
    public Tensor apply(Tensor raw) {
        Tensor s = SkewEmbedding.skew("CayleyOrthogonal.apply", raw);
        Tensor eye = Tensor.constant(org.nd4j.linalg.factory.Nd4j.eye(s.size(0)).castTo(s.dtype()));
        return SkewEmbedding.crop(LinearSolve.solve(eye.add(s), eye.sub(s)), raw.size(0), raw.size(1));
    }

    /** Orthonormal columns or rows exactly ({@link Orthonormal}), for every raw W. */
    @Override
    public List<Guarantee> guarantees() {
        return List.of(new Orthonormal());
    }

    @Override
    public String describe() {
        return "AᵀA = I via A = (I + S)⁻¹(I − S), S = W − Wᵀ";
    }
}
