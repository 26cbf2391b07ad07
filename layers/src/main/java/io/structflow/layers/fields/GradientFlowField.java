package io.structflow.layers.fields;

import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.GradientField;

/**
 * A field {@code f(x) = s·𝒜ᵀσ(𝒜x + b)} with what a property rule needs to bound its explicit
 * Euler step ([CMOSS] (3.5), (3.7)): the sign s, σ (whose slopes bound {@code D = diag σ'}), the
 * stored weight parameter with the name of its operator (to match its constraints' guarantees)
 * and certified bounds of 𝒜, both those its constraints or parametrisation guarantee for every
 * value they allow ({@link #guaranteedWeightBounds()}) and those of the current value
 * ({@link #currentWeightBounds()}). A field whose 𝒜 is a matrix or a zero-padded convolution also
 * publishes its form as data ({@link io.structflow.integrators.GradientFormField}), so explicit
 * Euler steps it with the fused kernel; one whose 𝒜 is applied otherwise (e.g. a circular
 * convolution through the DFT) is stepped by its own {@code apply}.
 */
public interface GradientFlowField extends LayerField, GradientField {
    /** The sign s: −1 contractive, +1 expansive. */
    int sign();

    /** The activation σ. */
    Activation activation();

    /** The trained weight parameter (the raw W of a parametrisation, else 𝒜's own weight). */
    Parameter weightParameter();

    /**
     * Whether 𝒜 is computed from {@link #weightParameter()} by a parametrisation (e.g.
     * {@code expm(W − Wᵀ)}), so that a constraint reading the parameter does not bound 𝒜 itself.
     */
    boolean parametrised();

    /** Which operator of the weight 𝒜 is ({@code OperatorNorm.describe()} of its estimator). */
    String weightOperator();

    /** Bounds of 𝒜 that hold for every value the weight's constraints or parametrisation allow. */
    WeightBounds guaranteedWeightBounds();

    /**
     * Certified bounds of 𝒜 at the current weight, whether or not it was projected (exact for a
     * parametrisation).
     */
    WeightBounds currentWeightBounds();
}
