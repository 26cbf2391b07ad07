package io.structflow.core.autodiff;


/**
 * The d² interleaved sub-images (polyphase components) of an image: pixel {@code (i·d + r,
 * j·d + s)} of {@code x [B, C, H, W]} becomes pixel {@code (i, j)} of sub-image {@code (r, s)} in
 * {@code [B·d², C, H/d, W/d]}.
 *
 * <p>A convolution with dilation d (taps d pixels apart, Yu &amp; Koltun, ICLR 2016, (2)) and
 * "same" zero padding d(k−1)/2 reads only pixels of its output pixel's sub-image, and the pixels
 * it pads with are exactly the ones outside that sub-image. So it equals the undilated "same"
 * convolution applied to each sub-image: {@code K_d = Sᵀ (I ⊗ K) S} with S this permutation. A
 * field {@code −K_dᵀσ(K_d x + b)} is the permuted field of K on the sub-images, with the same
 * operator norm {@code ‖K_d‖ = ‖K‖} (on {@code (H/d)×(W/d)} images) and the same Lipschitz and
 * averagedness constants of its Euler steps, since S is orthogonal.
 */
public final class SubLattices {
    private SubLattices() {
    }

    /** {@code [B, C, H, W] → [B·d², C, H/d, W/d]}; H and W must be multiples of d. */
    public static Tensor split(Tensor x, int d) {
        if (d == 1) {
            return x;
        }
        long b = x.size(0);
        long c = x.size(1);
        long hs = x.size(2) / d;
        long ws = x.size(3) / d;
        return x.reshape(b, c, hs, d, ws, d).permute(0, 3, 5, 1, 2, 4).reshape(b * d * d, c, hs, ws);
    }

    /** The inverse of {@link #split}: {@code [B·d², C, h, w] → [B, C, h·d, w·d]}. */
    public static Tensor merge(Tensor y, int d) {
        if (d == 1) {
            return y;
        }
        long b = y.size(0) / ((long) d * d);
        long c = y.size(1);
        long hs = y.size(2);
        long ws = y.size(3);
        return y.reshape(b, d, d, c, hs, ws).permute(0, 3, 4, 1, 5, 2).reshape(b, c, hs * d, ws * d);
    }
}
