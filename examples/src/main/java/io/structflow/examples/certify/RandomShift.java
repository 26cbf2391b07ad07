package io.structflow.examples.certify;

import io.structflow.core.autodiff.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Data augmentation by random translation: each image {@code [C, H, W]} of a batch moves by
 * {@code (dy, dx)} uniform in {@code [−s, s]²} pixels, zeros filling what comes in. The offsets
 * are drawn from a generator seeded by the seed and the batch's labels, so the same batch gets the
 * same shifts in a resumed run (training resumes bit for bit) while the batches of different
 * epochs, shuffled differently, get different ones.
 */
final class RandomShift {
    private final int shift;
    private final long seed;

    RandomShift(int shift, long seed) {
        this.shift = shift;
        this.seed = seed;
    }

    /**
     * @param x      images {@code [B, C, H, W]}, not mutated
     * @param labels the batch's labels (they seed the offsets)
     * @return the shifted images, a constant of x's type and shape
     */
    Tensor apply(Tensor x, int[] labels) {
        if (shift == 0) {
            return x;
        }
        long[] s = x.shape();
        int b = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        double[] in = x.toDoubleArray();
        double[] out = new double[in.length];
        SplittableRandom rng = new SplittableRandom(seed * 31 + Arrays.hashCode(labels));
        for (int n = 0; n < b; n++) {
            int dy = rng.nextInt(-shift, shift + 1);
            int dx = rng.nextInt(-shift, shift + 1);
            for (int ch = 0; ch < c; ch++) {
                int base = (n * c + ch) * h * w;
                for (int i = 0; i < h; i++) {
                    int si = i - dy;
                    if (si < 0 || si >= h) {
                        continue;
                    }
                    for (int j = 0; j < w; j++) {
                        int sj = j - dx;
                        if (sj >= 0 && sj < w) {
                            out[base + i * w + j] = in[base + si * w + sj];
                        }
                    }
                }
            }
        }
        return Tensor.of(x.dtype(), out, s);
    }
}
