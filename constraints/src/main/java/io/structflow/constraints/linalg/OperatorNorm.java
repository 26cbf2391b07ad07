package io.structflow.constraints.linalg;

import io.structflow.core.nn.Parameter;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An estimator of the operator 2-norm (largest singular value) {@code ‖𝒜_W‖₂} of the linear map
 * a weight defines: the matrix itself for dense weights, the convolution for kernels.
 *
 * <p>Implementations run power iteration on {@code 𝒜ᵀ𝒜}, accelerated by Lanczos over the
 * power iterates, and keep the last right singular vector, so that across optimiser steps (where
 * W changes little) a few products suffice. The estimate approaches {@code ‖𝒜_W‖₂} from below:
 * every estimate is a lower bound, never a bound to rely on. Certified upper bounds, which claims
 * and certificates use, come from {@link #upperBound} and {@link #certifiedAtMost}.
 *
 * <p>The warm-start vector and the random generator are state: the next estimate depends on
 * them. {@link #state()} and {@link #loadState(Map)} export and restore it, so that the
 * constraints holding an estimator resume exactly from a checkpoint.
 */
public interface OperatorNorm {
    /**
     * The estimated largest singular value of the operator of {@code weight}, warm-started from the
     * previous call.
     *
     * @param weight the weight's value (not mutated)
     */
    double estimate(INDArray weight);

    /**
     * A certified upper bound {@code U ≥ ‖𝒜_W‖₂} (not an estimate: {@link GramIteration}), within a
     * relative 1e-6 of the norm, plus its stated floating-point slack. Deterministic: the same
     * weight gives the same bound.
     *
     * @param weight the weight's value (not mutated)
     */
    default double upperBound(INDArray weight) {
        return upperBound(weight, 0);
    }

    /**
     * {@link #upperBound(INDArray)}, allowed to stop as soon as it has certified a bound
     * {@code U ≤ target}: the result is at most {@code target} exactly when {@link #certifiedAtMost}
     * holds, and otherwise it is {@code upperBound(weight)} itself, so a caller that needs the bound
     * when the check fails computes it once. Deterministic.
     */
    double upperBound(INDArray weight, double target);

    /**
     * Whether {@code ‖𝒜_W‖₂ ≤ bound} is certified: true only when a certified upper bound is at most
     * {@code bound} (so false may also mean "too close to tell"). Cheaper than {@link #upperBound}
     * because it stops as soon as the answer is known. Deterministic.
     */
    default boolean certifiedAtMost(INDArray weight, double bound) {
        return upperBound(weight, bound) <= bound;
    }

    /**
     * The {@code k} largest singular values {@code σ₁ ≥ … ≥ σ_k} of the operator of {@code weight}:
     * the square roots of the k largest Ritz values of {@code 𝒜ᵀ𝒜} by block Lanczos. Estimates,
     * not bounds: each is at most the singular value of its rank (a lower bound in the Ritz sense,
     * by Cauchy interlacing) and converges to it; claims and certificates use {@link #upperBound}.
     * Cold-started from seeded random vectors, so the same weight gives the same values; the warm
     * start of {@link #estimate} is neither used nor changed.
     *
     * @param weight the weight's value (not mutated)
     * @param k      how many, {@code 1 ≤ k ≤} the operator's input dimension (n for {@code W [m, n]},
     *               {@code C·H·W} for a kernel on {@code C×H×W} images); values past the rank are 0
     * @return k values, descending
     */
    double[] topSingularValues(INDArray weight, int k);

    /** Throws an {@link IllegalArgumentException} naming {@code where} if {@code weight} does not fit this operator. */
    void validate(String where, Parameter weight);

    /** The operator, e.g. {@code "‖W‖₂"}. */
    String describe();

    /**
     * {@code ∂σ₁/∂W} at the singular pair of the last {@link #estimate}: with v the (unit) right
     * singular vector found and {@code u = 𝒜_W v/‖𝒜_W v‖}, the gradient of the linear function
     * {@code W ↦ ⟨u, 𝒜_W v⟩} — {@code u vᵀ} for a matrix, the kernel-space image of it for a
     * convolution. Same shape and type as {@code weight}.
     *
     * @throws IllegalStateException before the first estimate (no singular vector yet)
     */
    INDArray singularValueGradient(INDArray weight);

    /**
     * Mixes a random vector of equal norm into the warm-start vector. After a change that made the
     * warm-start vector an exact singular vector (clipping its singular value), the Krylov space it
     * spans would be invariant and the next estimate would miss a larger singular value.
     */
    void refreshWarmStart();

    /** Products with {@code 𝒜ᵀ𝒜} used by the last {@link #estimate} call. */
    int lastProducts();

    /**
     * Copies of the state the next estimate depends on, as checkpoint slots (see
     * {@link io.structflow.constraints.internal.WarmStart}).
     */
    Map<String, INDArray> state();

    /**
     * Replaces the state by {@code saved}, as exported by {@link #state()}.
     *
     * @throws IllegalArgumentException naming the slot if {@code saved} does not fit; the state
     *         is then unchanged
     */
    void loadState(Map<String, INDArray> saved);
}
