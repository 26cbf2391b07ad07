package io.structflow.integrators.discretegradient;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.ImplicitSolver;
import io.structflow.integrators.LinearGradientField;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Itoh–Abe (coordinate increment) discrete gradient:
 * <pre>
 *   ∇̄ᵢE(x, y) = [E(y₁..yᵢ, xᵢ₊₁..xₙ) − E(y₁..yᵢ₋₁, xᵢ..xₙ)] / (yᵢ − xᵢ)
 * </pre>
 * where {@code |yᵢ − xᵢ|} is below {@code eps^{1/3}·max(1, max|x|)} the quotient is replaced by
 * {@code ∂E/∂xᵢ} at {@code (y₁..yᵢ₋₁, (xᵢ+yᵢ)/2, xᵢ₊₁..xₙ)}. Derivative-free apart from that
 * fallback. Not symmetric; order 1. Structure: energy conserving / dissipating, see
 * {@link DiscreteGradientMethod}. Cost per residual: one energy evaluation on a batch of
 * {@code (n+1)·batch} points (plus one gradient on {@code n·batch} points when a fallback is
 * needed). Needs {@code x} of shape {@code [batch, n]}. Reference: T. Itoh, K. Abe,
 * <i>Hamiltonian-conserving discrete canonical equations based on variational difference
 * quotients</i>, J. Comput. Phys. 76 (1988), doi:10.1016/0021-9991(88)90132-5.
 */
public final class ItohAbe extends DiscreteGradientMethod {
    /** With {@link ImplicitSolver#newton()}. */
    public ItohAbe() {
        this(ImplicitSolver.newton());
    }

    /** With the given solver settings. */
    public ItohAbe(ImplicitSolver solver) {
        super(solver);
    }

    @Override
    public Tensor discreteGradient(LinearGradientField field, Tensor x, Tensor y) {
        long batch = x.size(0);
        long n = x.size(1);
        Tensor d = y.sub(x);
        // w_i = x + M_i ⊙ d with M_i the indicator of the first i coordinates, i = 0..n
        Tensor prefix = Tensor.constant(lowerMasks(x, n + 1, 0)).reshape(n + 1, 1, n);
        Tensor points = x.reshape(1, batch, n).add(d.reshape(1, batch, n).mul(prefix)).reshape((n + 1) * batch, n);
        Tensor e = energy(name(), field, points).reshape(n + 1, batch);
        Tensor deltaE = e.slice(0, 1, n + 1).sub(e.slice(0, 0, n)).transpose();
        Tensor keep = d.abs().gtMask(cutoff(x));
        Tensor safe = d.add(keep.rsub(1.0));
        Tensor quotient = deltaE.mul(keep).div(safe);
        if (keep.value().minNumber().doubleValue() > 0) {
            return quotient;
        }
        // fallback points z_i = x + M_{i-1} ⊙ d + eᵢ dᵢ/2, i = 1..n
        Tensor before = Tensor.constant(lowerMasks(x, n, 0)).reshape(n, 1, n);
        Tensor unit = Tensor.constant(Nd4j.eye(n).castTo(x.dtype())).reshape(n, 1, n);
        Tensor shift = before.add(unit.mul(0.5));
        Tensor z = x.reshape(1, batch, n).add(d.reshape(1, batch, n).mul(shift)).reshape(n * batch, n);
        Tensor partial = gradient(name(), field, z).reshape(n, batch, n).mul(unit).sum(false, 2).transpose();
        return quotient.add(partial.mul(keep.rsub(1.0)));
    }

    /** Row i (i = 0..rows−1) holds ones in its first {@code i + offset} entries. */
    private static INDArray lowerMasks(Tensor like, long rows, int offset) {
        INDArray m = Nd4j.zeros(like.dtype(), rows, like.size(1));
        for (long i = 0; i < rows; i++) {
            for (long j = 0; j < Math.min(i + offset, like.size(1)); j++) {
                m.putScalar(i, j, 1.0);
            }
        }
        return m;
    }

    @Override
    public int order() {
        return 1;
    }
}
