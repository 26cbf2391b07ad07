package io.structflow.constraints.linalg;

import java.util.ArrayList;
import java.util.List;

/**
 * The Fourier blocks of a circular convolution with a kernel {@code K [out, in, kH, kW]} on an
 * {@code M_H × M_W} torus (stride s: its s_H·s_W polyphase components side by side),
 * <pre>  [K̂_r(ω)]_r,   K̂_r(ω) = Σ_q K[:, :, s q + r] e^{2πi(ω₁q₁/(M_H) + ω₂q₂/(M_W))}</pre>
 * one {@code out × (in·s_H·s_W)} complex matrix per frequency ω of the {@code (M_H/s_H) × (M_W/s_W)}
 * torus of the polyphase components (here {@code mh}, {@code mw}). The 2-D DFT block-diagonalises
 * the convolution into them, so its singular values are theirs (Sedghi, Gupta &amp; Long, "The
 * singular values of convolutional layers", ICLR 2019). Conjugate frequencies have conjugate
 * blocks, with the same singular values.
 */
final class FourierBlocks {
    private FourierBlocks() {
    }

    /**
     * @param k              the kernel's values, row-major {@code [out, in, kH, kW]}
     * @param shape          {@code [out, in, kH, kW]}
     * @param mh             frequencies along the height (the polyphase torus height)
     * @param mw             frequencies along the width
     * @param sh             stride along the height, ≥ 1
     * @param sw             stride along the width, ≥ 1
     * @param allFrequencies every frequency, or only ω₁ ≤ mh/2 (the others are conjugates of these)
     */
    static List<GramIteration.Matrix> of(double[] k, long[] shape, int mh, int mw, int sh, int sw,
                                         boolean allFrequencies) {
        int out = (int) shape[0];
        int in = (int) shape[1];
        int kh = (int) shape[2];
        int kw = (int) shape[3];
        int cols = in * sh * sw;
        List<GramIteration.Matrix> blocks = new ArrayList<>();
        for (int w1 = 0; w1 < (allFrequencies ? mh : mh / 2 + 1); w1++) {
            for (int w2 = 0; w2 < mw; w2++) {
                double[] re = new double[out * cols];
                double[] im = new double[out * cols];
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        double phase = 2 * Math.PI * ((double) w1 * (a / sh) / mh + (double) w2 * (b / sw) / mw);
                        double c = Math.cos(phase);
                        double s = Math.sin(phase);
                        int phaseColumn = (a % sh) * sw + b % sw;
                        for (int o = 0; o < out; o++) {
                            for (int i = 0; i < in; i++) {
                                double v = k[((o * in + i) * kh + a) * kw + b];
                                int at = o * cols + i * sh * sw + phaseColumn;
                                re[at] += v * c;
                                im[at] += v * s;
                            }
                        }
                    }
                }
                blocks.add(new GramIteration.Matrix(out, cols, re, im));
            }
        }
        return blocks;
    }
}
