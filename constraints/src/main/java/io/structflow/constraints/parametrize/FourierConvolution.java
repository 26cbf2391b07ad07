package io.structflow.constraints.parametrize;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stride-1 circular convolution {@code C → C} channels on {@code H × W} images given by its
 * Fourier blocks, applied through the unitary 2-D DFT written as one real matrix:
 * <pre>
 *   M [N, 2N],  N = H·W:   x·M = (Re x̂, Im x̂),   x̂_ω = N^{-1/2} Σ_s x_s e^{−2πi(ω₁s₁/H + ω₂s₂/W)}
 *   𝒬x = ((blocks · (x·M)) · Mᵀ)      per frequency ω the real 2C×2C block [[Re Q̂, −Im Q̂], [Im Q̂, Re Q̂]]
 * </pre>
 * Mᵀ M = I (the DFT is unitary and x real), and Mᵀ maps a conjugate-symmetric spectrum back to
 * its real image, so when {@code Q̂(−ω) = conj Q̂(ω)} (true for any blocks computed from a real
 * kernel) 𝒬 is the circular convolution with the real kernel whose DFT is Q̂, and its singular
 * values are those of the blocks (Sedghi, Gupta &amp; Long, ICLR 2019). The adjoint 𝒬ᵀ uses the
 * transposed blocks. Everything is tensor ops (two matrix products with M, a batched product with
 * the blocks, reshapes), so gradients of any order follow. Cost per image: {@code 4N²·C} for the
 * transforms and {@code 4N·C²} for the blocks.
 */
public final class FourierConvolution {
    private final int channels;
    private final int height;
    private final int width;
    private final Tensor dft;

    /**
     * @param channels C ≥ 1
     * @param height   H ≥ 1
     * @param width    W ≥ 1
     * @param type     element type of the images and blocks
     */
    public FourierConvolution(int channels, int height, int width, DataType type) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("FourierConvolution: channels, height and width expected ≥ 1 but got "
                    + channels + ", " + height + ", " + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        int n = height * width;
        double[] m = new double[n * 2 * n];
        double scale = 1 / Math.sqrt(n);
        for (int s1 = 0; s1 < height; s1++) {
            for (int s2 = 0; s2 < width; s2++) {
                int s = s1 * width + s2;
                for (int w1 = 0; w1 < height; w1++) {
                    for (int w2 = 0; w2 < width; w2++) {
                        int f = w1 * width + w2;
                        // phases reduced mod the period first, so conjugate frequencies get exactly opposite sines
                        double phase = 2 * Math.PI * ((double) (w1 * s1 % height) / height + (double) (w2 * s2 % width)
                                / width);
                        m[s * 2 * n + f] = Math.cos(phase) * scale;
                        m[s * 2 * n + n + f] = -Math.sin(phase) * scale;
                    }
                }
            }
        }
        this.dft = Tensor.constant(Nd4j.create(m, new long[] {n, 2L * n}, 'c').castTo(type));
    }

    /** C. */
    public int channels() {
        return channels;
    }

    /** H. */
    public int height() {
        return height;
    }

    /** W. */
    public int width() {
        return width;
    }

    /** Shape of the blocks: {@code [H·W, 2C, 2C]}. */
    public long[] blockShape() {
        return new long[] {(long) height * width, 2L * channels, 2L * channels};
    }

    /**
     * The spectrum {@code √N·(Re x̂, Im x̂)} of images per channel pair, as the real blocks
     * {@code [[Re K̂, −Im K̂], [Im K̂, Re K̂]]}: the Fourier blocks of the circular convolution with
     * the given full-size kernel ({@code K̂(ω) = Σ_s K[:, :, s] e^{−2πi ω·s}}).
     *
     * @param kernel {@code [C, C, H, W]} (output, input, taps on the torus), not mutated
     * @return {@code [H·W, 2C, 2C]}
     */
    public Tensor blocksOf(Tensor kernel) {
        Shapes.require("FourierConvolution.blocksOf", "kernel", kernel, channels, channels, height, width);
        int n = height * width;
        Tensor spectrum = kernel.reshape((long) channels * channels, n).matmul(dft).mul(Math.sqrt(n));
        Tensor parts = spectrum.reshape(channels, channels, 2, n).permute(2, 3, 0, 1);   // [2, N, C, C]
        Tensor re = parts.slice(0, 0, 1).reshape(n, channels, channels);
        Tensor im = parts.slice(0, 1, 2).reshape(n, channels, channels);
        return Tensor.concat(1, Tensor.concat(2, re, im.neg()), Tensor.concat(2, im, re));
    }

    /**
     * {@code 𝒬x}, or {@code 𝒬ᵀx} when {@code adjoint}.
     *
     * @param blocks  {@code [H·W, 2C, 2C]} real-embedded Fourier blocks, not mutated
     * @param x       images {@code [batch, C, H, W]}, not mutated
     * @param adjoint whether to apply the transposed blocks
     * @return {@code [batch, C, H, W]}
     */
    public Tensor apply(Tensor blocks, Tensor x, boolean adjoint) {
        Shapes.require("FourierConvolution.apply", "x", x, -1, channels, height, width);
        Shapes.require("FourierConvolution.apply", "blocks", blocks, blockShape());
        long b = x.size(0);
        int n = height * width;
        Tensor spectrum = x.reshape(b * channels, n).matmul(dft)                    // [B·C, 2N]
                .reshape(b, channels, 2, n).permute(3, 2, 1, 0).reshape(n, 2L * channels, b);
        Tensor out = blocks.matmul(spectrum, adjoint, false)                         // [N, 2C, B]
                .reshape(n, 2, channels, b).permute(3, 2, 1, 0).reshape(b * channels, 2L * n);
        return out.matmul(dft, false, true).reshape(b, channels, height, width);
    }

    /**
     * The full-size kernel {@code [C, C, H, W]} of the convolution the blocks define, by applying
     * it to unit images: {@code K[o, c, s]} is output channel o at pixel s for a unit impulse in
     * channel c at pixel 0, i.e. the convolution {@code (𝒬x)[o, t] = Σ_{c,s} K[o, c, s] x[c, t − s]}.
     *
     * @param blocks {@code [H·W, 2C, 2C]}, not mutated
     */
    public Tensor kernelOf(Tensor blocks) {
        double[] impulses = new double[channels * channels * height * width];
        for (int c = 0; c < channels; c++) {
            impulses[c * channels * height * width + c * height * width] = 1;
        }
        Tensor e = Tensor.of(blocks.dtype(), impulses, channels, channels, height, width);
        return apply(blocks, e, false).permute(1, 0, 2, 3);
    }
}
