package io.structflow.constraints.parametrize;

import io.structflow.constraints.guarantee.Orthonormal;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parametrization;
import java.util.List;

/**
 * The orthogonal parametrisation {@code A = expm(W − Wᵀ)} of [CMOSS] §1.1 (footnote to the
 * planar experiment): the exponential of a skew-symmetric matrix is orthogonal, so
 * {@code AᵀA = I} holds for every raw W, to round-off.
 *
 * <pre>
 *   S = W̃ − W̃ᵀ,   A = expm(S)  (cut to [m, n] when W is rectangular, see below)
 * </pre>
 * Rectangular {@code [m, n]} weights: W is zero-padded to {@code k×k}, {@code k = max(m, n)}, and
 * the result keeps the first n columns (m ≥ n, {@code AᵀA = I_n}) or the first m rows (m &lt; n,
 * {@code AAᵀ = I_m}). The map reaches the rotations (det A = +1) only. Gradients come from
 * {@link Tensor#expm()}'s Fréchet-derivative backward and have every order. Cost: one k×k
 * matrix exponential (scaling and squaring) forward, one 2k×2k backward.
 * Reference: Lezcano-Casado &amp; Martínez-Rubio, "Cheap orthogonal constraints in neural
 * networks", ICML 2019.
 */
public final class ExponentialOrthogonal implements Parametrization {
    @Override
    public Tensor apply(Tensor raw) {
        Tensor s = SkewEmbedding.skew("ExponentialOrthogonal.apply", raw);
        return SkewEmbedding.crop(s.expm(), raw.size(0), raw.size(1));
    }

    /** Orthonormal columns or rows exactly ({@link Orthonormal}), for every raw W. */
    @Override
    public List<Guarantee> guarantees() {
        return List.of(new Orthonormal());
    }

    @Override
    public String describe() {
        return "AᵀA = I via A = expm(W − Wᵀ)";
    }
}
