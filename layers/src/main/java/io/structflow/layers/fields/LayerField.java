package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.VectorField;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A parametrised vector field that a {@link io.structflow.layers.FlowLayer} can check inputs
 * against and bound: its element type, its input shape and a certified bound of its Lipschitz
 * constant at the current parameters. Its structure (gradient form, Hamiltonian, skew, zero sum,
 * shear split) is published by the interfaces it implements; the layer's rule table
 * ({@link io.structflow.layers.PropertyRules}) derives properties from those, so a field knows
 * nothing of how it is stepped.
 */
public interface LayerField extends VectorField {
    /** The element type of the field's parameters (inputs must match). */
    DataType dtype();

    /**
     * Checks the shape and type of an input, throwing an {@link IllegalArgumentException} that
     * names {@code where}, the expected and the actual shape.
     */
    void checkInput(String where, Tensor x);

    /** The state dimension (per sample), or −1 when the field does not fix it. */
    default long dimension() {
        return -1;
    }

    /**
     * A certified upper bound of the field's Lipschitz constant {@code L_f} (Euclidean norm, per
     * sample) at the current parameters; {@code +∞} when unknown. Never an estimate.
     */
    default double lipschitzBound() {
        return Double.POSITIVE_INFINITY;
    }
}
