package io.structflow.integrators.symplectic;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.SeparableHamiltonian;
import java.util.Arrays;

/**
 * The two half-fields of a separable Hamiltonian, with their shapes checked, and the Lipschitz
 * bound of a chain of shears.
 */
final class Shears {
    private Shears() {
    }

    static Tensor dUdq(String who, SeparableHamiltonian field, Tensor q) {
        return checked(who, "dUdq(q)", field.dUdq(q), q);
    }

    static Tensor dKdp(String who, SeparableHamiltonian field, Tensor p) {
        return checked(who, "dKdp(p)", field.dKdp(p), p);
    }

    /**
     * The bound {@code Π (1 + |cᵢh|L)} of shears {@code p ↦ p − cᵢh∂U/∂q(q)} or
     * {@code q ↦ q + cᵢh∂K/∂p(p)}: each has Jacobian {@code I} plus one off-diagonal block of norm
     * at most {@code |cᵢh|L}, since ∂U/∂q and ∂K/∂p are L-Lipschitz when the field
     * {@code (∂K/∂p, −∂U/∂q)} is.
     */
    static double lipschitzBound(double fieldLipschitz, double h, double... coefficients) {
        if (!Double.isFinite(fieldLipschitz)) {
            return Double.POSITIVE_INFINITY;
        }
        double out = 1;
        for (double c : coefficients) {
            out *= 1 + Math.abs(c * h) * fieldLipschitz;
        }
        return out;
    }

    private static Tensor checked(String who, String what, Tensor out, Tensor in) {
        if (out == null || !Arrays.equals(out.shape(), in.shape()) || out.dtype() != in.dtype()) {
            throw new IllegalArgumentException(who + ": field " + what + " expected shape " + Shapes.str(in.shape())
                    + " and type " + in.dtype() + " but got "
                    + (out == null ? "null" : Shapes.str(out.shape()) + " " + out.dtype()));
        }
        return out;
    }
}
