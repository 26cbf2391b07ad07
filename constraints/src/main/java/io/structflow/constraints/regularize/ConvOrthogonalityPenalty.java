package io.structflow.constraints.regularize;

import io.structflow.constraints.internal.Messages;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The convolutional orthogonality regulariser of Wang, Chen, Chakraborty &amp; Yu, "Orthogonal
 * convolutional neural networks", CVPR 2020 (doi:10.1109/CVPR42600.2020.01152), used for the
 * convolutional layers of [CMOSS] §3.3:
 * <pre>
 *   L_orth(K) = ‖Conv(K, K) − I_r0‖²_F,    P = ⌊(k − 1)/s⌋·s
 * </pre>
 * where {@code Conv(K, K)} convolves the kernel {@code K [O, C, kH, kW]}, read as a batch of O
 * images with C channels, with itself as the weight, with stride s and zero padding P (per axis),
 * giving {@code [O, O, 2P/s + 1, 2P/s + 1]}; {@code I_r0} is zero except
 * {@code I_r0[i, i, P/s, P/s] = 1}. Entry {@code [i, j, ·, ·]} holds the inner products of
 * output channel i's rows with channel j's rows at every relative shift a stride-s convolution
 * can produce, so the penalty is zero exactly when the rows of the convolution's matrix are
 * orthonormal (row orthogonality; on unpadded interiors). Differentiable to any order (both
 * arguments of the convolution are K). Cost: one convolution of O images.
 */
public final class ConvOrthogonalityPenalty implements Regularizer {
    private final int stride;

    /** @param stride the layer's stride s ≥ 1 */
    public ConvOrthogonalityPenalty(int stride) {
        this.stride = Messages.atLeastOne("ConvOrthogonalityPenalty", "stride", stride);
    }

    /** Stride 1. */
    public ConvOrthogonalityPenalty() {
        this(1);
    }

    @Override
    public Tensor apply(Tensor kernel) {
        if (kernel.rank() != 4) {
            throw new IllegalArgumentException("ConvOrthogonalityPenalty: kernel expected [outChannels, inChannels, kH, kW]"
                    + " but got shape " + Shapes.str(kernel.shape()));
        }
        int ph = (int) ((kernel.size(2) - 1) / stride) * stride;
        int pw = (int) ((kernel.size(3) - 1) / stride) * stride;
        Tensor conv = kernel.conv2d(kernel, new ConvGeometry(stride, stride, ph, pw));
        long o = kernel.size(0);
        INDArray target = Nd4j.zeros(kernel.dtype(), conv.shape());
        for (long i = 0; i < o; i++) {
            target.putScalar(new long[] {i, i, ph / stride, pw / stride}, 1.0);
        }
        return conv.sub(Tensor.constant(target)).square().sum();
    }

    @Override
    public String describe() {
        return "‖Conv(K, K) − I_r0‖²_F (stride " + stride + ")";
    }
}
