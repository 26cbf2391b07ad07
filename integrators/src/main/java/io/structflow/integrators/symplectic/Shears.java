package io.structflow.integrators.symplectic;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.SeparableHamiltonian;
import java.util.Arrays;

/** The two half-fields of a separable Hamiltonian, with their shapes checked. */
final class Shears {
    private Shears() {
    }

    static Tensor dUdq(String who, SeparableHamiltonian field, Tensor q) {
        return checked(who, "dUdq(q)", field.dUdq(q), q);
    }

    static Tensor dKdp(String who, SeparableHamiltonian field, Tensor p) {
        return checked(who, "dKdp(p)", field.dKdp(p), p);
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
