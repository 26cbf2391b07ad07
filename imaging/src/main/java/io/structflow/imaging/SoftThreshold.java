package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;

/**
 * {@code g(x) = λ‖x‖₁}, whose proximal operator is soft thresholding, elementwise
 * <pre>
 *   prox_{τg}(v) = sign(v) · max(|v| − τλ, 0) = relu(v − τλ) − relu(−v − τλ),
 * </pre>
 * the backward step of ISTA ({@link Ista}). Reference: Daubechies, Defrise, De Mol, Comm. Pure
 * Appl. Math. 57 (2004) 1413–1457, doi:10.1002/cpa.20042.
 *
 * @param lambda the weight λ ≥ 0
 */
public record SoftThreshold(double lambda) implements Prox {
    public SoftThreshold {
        Messages.nonNegative("SoftThreshold", "lambda", lambda);
    }

    @Override
    public Tensor apply(Tensor v, double tau) {
        double t = tau * lambda;
        return v.sub(t).relu().sub(v.neg().sub(t).relu());
    }

    @Override
    public double value(Tensor x) {
        return lambda * Norms.asDouble(x).norm1Number().doubleValue();
    }
}
