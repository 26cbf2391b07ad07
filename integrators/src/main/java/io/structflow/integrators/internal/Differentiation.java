package io.structflow.integrators.internal;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.function.Function;

/** Gradients of per-sample scalar functions by reverse-mode autodiff, for the fields' defaults. */
public final class Differentiation {
    private Differentiation() {
    }

    /**
     * {@code ∇φ(x)} for {@code φ: [batch, n] → [batch]} acting on samples independently.
     *
     * <p>With grad mode on, the result is recorded ({@code createGraph}), so it is differentiable
     * in {@code x} and in {@code φ}'s parameters (double backprop). With grad mode off, it is a
     * constant; the gradient is still computed (a graph is built locally and released).
     *
     * @param phi per-sample scalar function
     * @param x   {@code [batch, n]}; not mutated
     * @return {@code [batch, n]}
     */
    public static Tensor gradient(Function<Tensor, Tensor> phi, Tensor x) {
        boolean record = GradMode.isEnabled();
        try (GradMode.Scope s = GradMode.enableGrad()) {
            Tensor input = record && x.requiresGrad() ? x : Tensor.variable(x.value());
            Tensor value = phi.apply(input);
            if (value.rank() != 1 || value.size(0) != x.size(0)) {
                throw new IllegalArgumentException("gradient: the scalar function expected to return one value per "
                        + "sample, shape [" + x.size(0) + "], but returned " + Shapes.str(value.shape()));
            }
            if (!value.requiresGrad()) {
                return Tensor.zeros(x.dtype(), x.shape());
            }
            return Autograd.grad(new Tensor[] {value.sum()}, null, new Tensor[] {input}, record, record)[0];
        }
    }
}
