package io.structflow.integrators;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;

/**
 * The data of a gradient field {@code f(x) = s·𝒜ᵀσ(𝒜x + b)} ({@link GradientFormField}):
 * {@code 𝒜} is the matrix {@code weight} {@code [m, n]} acting on states {@code [batch, n]}, or the
 * stride-1 "same" convolution with the kernel {@code weight} {@code [m, C, k, k]} (k odd) and taps
 * {@code dilation} pixels apart, acting on images {@code [batch, C, H, W]}; {@code 𝒜ᵀ} is its
 * adjoint (the transposed convolution with the same kernel).
 *
 * @param sign     s, −1 (descent, contractive) or +1 (ascent, expansive)
 * @param weight   the effective weight, differentiable in the field's parameters
 * @param bias     b, {@code [m]}
 * @param sigma    the activation σ
 * @param dilation d ≥ 1 (1 for dense weights)
 */
public record GradientForm(int sign, Tensor weight, Tensor bias, Activation sigma, int dilation) {
    /** Validates the sign, the weight's rank and the dilation. */
    public GradientForm {
        if (sign != -1 && sign != 1) {
            throw new IllegalArgumentException("GradientForm: sign expected −1 or +1 but got " + sign);
        }
        if (weight == null || (weight.rank() != 2 && weight.rank() != 4)) {
            throw new IllegalArgumentException("GradientForm: weight expected [m, n] or [m, C, k, k] but got "
                    + (weight == null ? "null" : java.util.Arrays.toString(weight.shape())));
        }
        if (dilation < 1 || (weight.rank() == 2 && dilation != 1)) {
            throw new IllegalArgumentException("GradientForm: dilation expected ≥ 1 (1 for a dense weight) but got "
                    + dilation);
        }
    }

    /** Whether 𝒜 is a convolution. */
    public boolean convolutional() {
        return weight.rank() == 4;
    }
}
