package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;

/**
 * A proper convex function g given by its proximal operator,
 * <pre>
 *   prox_{τg}(v) = argmin_x  g(x) + ‖x − v‖² / (2τ),
 * </pre>
 * the backward step of proximal gradient ({@link ProximalGradient}). For the indicator of a
 * closed convex set the proximal operator is the projection onto it ({@link Box}); for
 * {@code λ‖x‖₁} it is soft thresholding ({@link SoftThreshold}).
 */
public interface Prox {
    /**
     * {@code prox_{τg}(v)}.
     *
     * @param v   the point, any shape (not mutated)
     * @param tau the step τ &gt; 0
     * @return the proximal point, shape and type of v
     */
    Tensor apply(Tensor v, double tau);

    /** {@code g(x)}: may be {@code +∞} (an indicator outside its set), accumulated in float64. */
    double value(Tensor x);

    /** {@code g = 0}: the identity prox, so that proximal gradient is plain gradient descent. */
    static Prox zero() {
        return new Prox() {
            @Override
            public Tensor apply(Tensor v, double tau) {
                return v;
            }

            @Override
            public double value(Tensor x) {
                return 0;
            }

            @Override
            public String toString() {
                return "Prox.zero()";
            }
        };
    }
}
