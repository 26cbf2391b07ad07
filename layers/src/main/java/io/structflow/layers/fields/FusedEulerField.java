package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;

/**
 * A field whose explicit Euler step {@code x + τ f(x)} has a fused implementation
 * ({@link io.structflow.core.autodiff.FusedGradientFlow}): one forward kernel and one backward
 * kernel instead of a chain of primitive ops. {@link io.structflow.layers.FlowLayer} uses it when
 * its integrator is explicit Euler.
 */
public interface FusedEulerField extends LayerField {
    /**
     * {@code x + τ f(x)}, equal (to round-off) to {@code ExplicitEuler.step(this, x, τ)}.
     *
     * @param x   inputs, the field's input shape; not mutated
     * @param tau one-element step of {@code x}'s type; may require a gradient
     */
    Tensor eulerStep(Tensor x, Tensor tau);

    /**
     * {@code substeps} Euler steps {@code x ← x + τ f(x)} in a row, the S sub-steps of one layer.
     * The default calls {@link #eulerStep} S times; a field whose weight comes from a
     * parametrisation (e.g. {@code A = expm(W − Wᵀ)}) overrides it to compute the weight once.
     *
     * @param substeps S ≥ 1
     */
    default Tensor eulerSteps(Tensor x, Tensor tau, int substeps) {
        if (substeps < 1) {
            throw new IllegalArgumentException("eulerSteps: substeps expected ≥ 1 but got " + substeps);
        }
        Tensor y = x;
        for (int i = 0; i < substeps; i++) {
            y = eulerStep(y, tau);
        }
        return y;
    }
}
