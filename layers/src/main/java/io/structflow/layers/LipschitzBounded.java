package io.structflow.layers;

/**
 * A layer that knows an upper bound of its Lipschitz constant in the Euclidean norm, per sample:
 * {@code ‖Φ(x) − Φ(y)‖₂ ≤ L ‖x − y‖₂}. Products of these bounds bound a whole network, which is
 * what the margin certificate of [CMOSS] (3.1) needs.
 */
public interface LipschitzBounded {
    /**
     * An upper bound {@code L} at the current parameter values; {@link Double#POSITIVE_INFINITY}
     * when no bound is known.
     */
    double lipschitzBound();
}
