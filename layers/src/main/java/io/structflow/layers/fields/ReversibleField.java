package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.Integrator;

/**
 * A field whose steps under some integrators can be undone exactly, e.g. the shears of a
 * divergence-free partitioned field ([CMOSS] §4.2).
 */
public interface ReversibleField extends LayerField {
    /**
     * The inverse of one step: {@code x} with {@code integrator.step(this, x, τ) = y}.
     *
     * @param integrator the method the forward step used
     * @param y          outputs of the step; not mutated
     * @param tau        the step size of the forward step
     * @throws UnsupportedOperationException if this integrator's step has no exact inverse here
     */
    Tensor inverseStep(Integrator<?> integrator, Tensor y, Tensor tau);
}
