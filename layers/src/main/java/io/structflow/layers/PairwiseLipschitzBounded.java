package io.structflow.layers;

import io.structflow.core.autodiff.Tensor;

/**
 * A layer with outputs {@code y ∈ ℝⁿ} that knows, for every pair of outputs, an upper bound of the
 * Lipschitz constant of their difference in the Euclidean norm,
 * <pre>
 *   K_ij ≥ Lip(y_i − y_j),    K symmetric, K_ii = 0,
 * </pre>
 * which can be much smaller than {@code √2·Lip(y)}. As the last layer {@code h} of a classifier
 * {@code f = h ∘ g}, {@code K_ij·Lip(g)} bounds {@code Lip(f_i − f_j)}, and a sample is certified at
 * radius ε when {@code f_y − f_j > ε·K_yj·Lip(g)} for every {@code j ≠ y} (the pairwise form of
 * [CMOSS] (3.1); GloRo, Leino, Wang &amp; Fredrikson, ICML 2021).
 */
public interface PairwiseLipschitzBounded extends LipschitzBounded {
    /**
     * Certified bounds {@code K [n][n]} at the current parameter values (floating-point slack
     * included), symmetric with a zero diagonal.
     */
    double[][] pairwiseLipschitzBounds();

    /**
     * The same constants as a {@code [n, n]} tensor of the parameters' element type that carries
     * the gradient in the parameters, for training losses; not a certificate (no slack added).
     */
    Tensor pairwiseLipschitz();
}
