package io.structflow.core.autodiff;

/**
 * The backward rule of one operation: maps the gradient of the output to the gradients of the
 * inputs (vector–Jacobian products), written with {@link Tensor} operations so that, when the
 * graph is being recorded, the gradients are themselves differentiable (double backprop).
 *
 * <p>Implementations return one entry per input, in order; {@code null} for an input that needs
 * no gradient. The returned gradients must have the inputs' shapes.
 */
@FunctionalInterface
public interface Backward {
    /**
     * @param gradOutput gradient of the scalar objective with respect to the op's output, same
     *                   shape as the output; not mutated
     * @return gradients with respect to the op's inputs
     */
    Tensor[] apply(Tensor gradOutput);
}
