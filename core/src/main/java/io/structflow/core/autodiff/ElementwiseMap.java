package io.structflow.core.autodiff;

/**
 * A scalar function σ applied elementwise, with the two replayable kernels a fused operation
 * ({@link FusedGradientFlow}) runs in place of the composed tensor ops: σ(z) and
 * {@code σ'(z) ⊙ u}. Activations of layers refine it with what structure-preserving layers need
 * (an antiderivative, the range of σ').
 */
public interface ElementwiseMap {

    /** σ(z), differentiable. */
    Tensor apply(Tensor z);

    /** A replayable kernel computing σ(z): input {z}, output {σ(z)}. */
    Kernel forwardKernel();

    /** A replayable kernel computing σ'(z) ⊙ u: inputs {z, u}, output {σ'(z) ⊙ u}. */
    Kernel backwardKernel();

    /**
     * The slope {@code a ≥ 0} when σ is the leaky ReLU {@code z (z > 0), a·z (z ≤ 0)}, else NaN.
     * Such a σ can be applied by a convolution to its output ({@link Convolution#conv2dLeakyRelu}),
     * and σ(z) has the sign of z, so {@link #backwardKernel} may be given σ(z) in place of z.
     */
    default double leakyReluSlope() {
        return Double.NaN;
    }
}
