package io.structflow.integrators.rungekutta;

import io.structflow.core.autodiff.FusedGradientFlow;
import io.structflow.core.autodiff.SubLattices;
import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.ButcherTableau;
import io.structflow.integrators.GradientForm;
import io.structflow.integrators.GradientFormField;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.Structure;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.internal.Checks;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Explicit Euler, the ResNet step:
 * <pre>  y = x + h f(x)</pre>
 * [CMOSS] (1.2). Order 1. Structure: {@link Structure#LINEAR_INVARIANTS}. Cost: one field
 * evaluation. On a {@link GradientFormField} {@code f = s·𝒜ᵀσ(𝒜x + b)} the step is the fused
 * kernel {@link FusedGradientFlow} (one forward and one backward kernel instead of a chain of
 * primitive ops, equal to round-off), and S sub-steps ({@link #steps}) share one evaluation of
 * the field's weight (one matrix exponential for a parametrised weight).
 */
public final class ExplicitEuler implements Integrator<VectorField> {
    @Override
    public Tensor step(VectorField field, Tensor x, Tensor h) {
        return steps(field, x, h, 1);
    }

    @Override
    public Tensor steps(VectorField field, Tensor x, Tensor h, int substeps) {
        Tensor step = Checks.step(name(), x, h);
        if (substeps < 1) {
            throw new IllegalArgumentException(name() + ".steps: substeps expected ≥ 1 but got " + substeps);
        }
        if (field instanceof GradientFormField g) {
            GradientForm form = g.gradientForm();
            Tensor y = x;
            for (int i = 0; i < substeps; i++) {
                y = fused(form, y, step);
            }
            return y;
        }
        Tensor y = x;
        for (int i = 0; i < substeps; i++) {
            y = y.add(Checks.apply(name(), field == null ? null : field::apply, y).mul(step));
        }
        return y;
    }

    /** {@code x + s·τ·𝒜ᵀσ(𝒜x + b)} in one fused kernel, on the sub-images of a dilated convolution. */
    private static Tensor fused(GradientForm form, Tensor x, Tensor tau) {
        if (!form.convolutional()) {
            return FusedGradientFlow.dense(x, form.weight(), form.bias(), tau, form.sign(), form.sigma());
        }
        int d = form.dilation();
        return SubLattices.merge(FusedGradientFlow.conv(SubLattices.split(x, d), form.weight(), form.bias(), tau,
                form.sign(), form.sigma()), d);
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public Set<Structure> structure() {
        return EnumSet.of(Structure.LINEAR_INVARIANTS);
    }

    @Override
    public Optional<ButcherTableau> tableau() {
        return Optional.of(ButcherTableau.EULER);
    }
}
