package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;

/**
 * A gradient field of the form {@code f(x) = s·𝒜ᵀσ(𝒜x + b)} with {@code 𝒜} a dense matrix or a
 * convolution ([CMOSS] (3.3), (3.7) and their convolutional versions). It publishes that form as
 * data ({@link #gradientForm()}), so a method may choose a fused kernel for it (explicit Euler
 * does) and a layer may derive Lipschitz bounds from σ's slopes and 𝒜's norm.
 */
public interface GradientFormField extends GradientField {
    /**
     * The form at the current parameters: the effective weight (after any parametrisation,
     * evaluated once per call), the bias, σ and the sign; differentiable in the parameters.
     */
    GradientForm gradientForm();
}
