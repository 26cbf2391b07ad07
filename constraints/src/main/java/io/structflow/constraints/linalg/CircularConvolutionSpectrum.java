package io.structflow.constraints.linalg;

import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.internal.StoredValues;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact singular values of a stride-1 circular convolution on {@code H × W} images,
 * <pre>
 *   (𝒦x)[o, i, j] = Σ_{c,a,b} K[o, c, a, b] · x[c, (i + a − ⌊kH/2⌋) mod H, (j + b − ⌊kW/2⌋) mod W]
 * </pre>
 * (the "same" cross-correlation of {@code conv2d} with the taps wrapped around the torus): the
 * 2-D DFT block-diagonalises 𝒦 into one {@code out × in} matrix per frequency,
 * {@code K̂(ω) = Σ_{a,b} K[:, :, a, b] e^{2πi(ω₁a/H + ω₂b/W)}} (the centring offset multiplies it by a
 * unimodular scalar), so the singular values of 𝒦 are those of the H·W blocks
 * (Sedghi, Gupta &amp; Long, "The singular values of convolutional layers", ICLR 2019, Thm 6).
 * Each block's values come from a one-sided Jacobi SVD in double precision, accurate to a few ulps
 * of the largest; a kernel larger than the image wraps onto itself, as the operator does.
 * Cost: {@code O(H W · (kH kW · out · in + sweeps · out · in²))}.
 */
public final class CircularConvolutionSpectrum {
    private CircularConvolutionSpectrum() {
    }

    /**
     * All singular values of the circular convolution, descending.
     *
     * @param kernel {@code [out, in, kH, kW]}, not mutated
     * @param height H ≥ 1
     * @param width  W ≥ 1
     * @return {@code min(out, in)·H·W} values
     */
    public static double[] singularValues(INDArray kernel, int height, int width) {
        if (kernel == null || kernel.rank() != 4) {
            throw Messages.badArgument("CircularConvolutionSpectrum.singularValues", "kernel",
                    "[outChannels, inChannels, kH, kW]", kernel == null ? "null" : Arrays.toString(kernel.shape()));
        }
        if (height < 1 || width < 1) {
            throw Messages.badArgument("CircularConvolutionSpectrum.singularValues", "image size", "height, width ≥ 1",
                    height + "×" + width);
        }
        int per = (int) Math.min(kernel.size(0), kernel.size(1));
        double[] all = new double[per * height * width];
        int at = 0;
        for (GramIteration.Matrix block : FourierBlocks.of(StoredValues.read(kernel), kernel.shape(), height, width, 1, 1,
                true)) {
            double[] s = JacobiSvd.complexSingularValues(block.rows(), block.cols(), block.re(), block.im());
            System.arraycopy(s, 0, all, at, per);
            at += per;
        }
        Arrays.sort(all);
        for (int i = 0; i < all.length / 2; i++) {
            double tmp = all[i];
            all[i] = all[all.length - 1 - i];
            all[all.length - 1 - i] = tmp;
        }
        return all;
    }

    /** The largest singular value, {@code ‖𝒦‖₂} exactly (to round-off). */
    public static double norm(INDArray kernel, int height, int width) {
        return singularValues(kernel, height, width)[0];
    }
}
