package io.structflow.imaging;

import io.structflow.constraints.linalg.MatrixFreeOperatorNorm;
import io.structflow.constraints.linalg.NormEstimateSettings;
import io.structflow.core.autodiff.Tensor;

/**
 * A linear forward operator {@code A} of an inverse problem {@code y = Ax + noise} together with
 * its adjoint {@code Aᵀ}, defined by {@code ⟨Ax, y⟩ = ⟨x, Aᵀy⟩} for every x and y. The data term
 * {@code f(x) = ½‖Ax − y‖²} ({@link DataFidelity}) has gradient {@code Aᵀ(Ax − y)}, which is
 * {@code ‖A‖₂²}-Lipschitz; that constant fixes the step bound {@code τ < 2/‖A‖₂²} of every
 * forward–backward method in this package ([M-slides], plug-and-play).
 *
 * <p>Implementations: {@link BlurOperator} (a convolution acting on images
 * {@code [batch, channels, height, width]}) and {@link MatrixOperator} (a dense matrix acting on
 * vectors {@code [batch, n]}). Both are built from {@link Tensor} operations, so they are
 * differentiable, accept float32 or float64 inputs and never mutate them. Batches are independent:
 * the operator acts on each sample.
 */
public interface LinearOperator {
    /**
     * {@code Ax}, batched.
     *
     * @param x a batch in the operator's domain (not mutated)
     * @return the batch in the operator's range
     */
    Tensor apply(Tensor x);

    /**
     * {@code Aᵀy}, the exact adjoint of {@link #apply}, batched.
     *
     * @param y a batch in the operator's range (not mutated)
     * @return the batch in the operator's domain
     */
    Tensor adjoint(Tensor y);

    /**
     * {@code ‖A‖₂²}, the largest eigenvalue of {@code AᵀA} on inputs of the given shape, by
     * {@link MatrixFreeOperatorNorm} with {@link NormEstimateSettings#convolution()} (Lanczos on
     * {@code AᵀA}; a lower bound converging to the value).
     *
     * @param domainShape the shape of an input x, batch first (the batch size does not matter)
     */
    default double normSquared(long... domainShape) {
        double sigma = new MatrixFreeOperatorNorm(this::apply, this::adjoint, domainShape,
                NormEstimateSettings.convolution()).estimate();
        return sigma * sigma;
    }
}
