package io.structflow.core.autodiff;

/**
 * Stride and zero padding of a 2-D convolution (dilation 1, NCHW layout).
 *
 * @param strideH vertical stride ≥ 1
 * @param strideW horizontal stride ≥ 1
 * @param padH    zero rows added above and below ≥ 0
 * @param padW    zero columns added left and right ≥ 0
 */
public record ConvGeometry(int strideH, int strideW, int padH, int padW) {
    public ConvGeometry {
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("ConvGeometry: expected strides ≥ 1 and paddings ≥ 0 but got stride ("
                    + strideH + ", " + strideW + "), padding (" + padH + ", " + padW + ")");
        }
    }

    /** Stride 1 with padding (k−1)/2, which keeps the image size for an odd kernel size k. */
    public static ConvGeometry same(int kernelSize) {
        if (kernelSize % 2 == 0) {
            throw new IllegalArgumentException("ConvGeometry.same: kernelSize expected odd but got " + kernelSize);
        }
        return new ConvGeometry(1, 1, kernelSize / 2, kernelSize / 2);
    }

    /** Output size of the convolution along one axis. */
    public long outSize(long in, long kernel, boolean vertical) {
        int s = vertical ? strideH : strideW;
        int p = vertical ? padH : padW;
        return (in + 2L * p - kernel) / s + 1;
    }
}
