package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.layers.Invertible;
import io.structflow.layers.LipschitzBounded;
import io.structflow.layers.Property;
import io.structflow.layers.Structured;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Invertible down-sampling by space-to-depth (the "pixel unshuffle" of Shi et al., CVPR 2016,
 * used as the orthogonal down-sampling of 1-Lipschitz networks, e.g. Trockman &amp; Kolter, ICLR
 * 2021):
 * <pre>
 *   y[b, c·r² + i·r + j, u, v] = x[b, c, r·u + i, r·v + j]     [B, C, H, W] → [B, C·r², H/r, W/r]
 * </pre>
 * A permutation of the entries, so an orthogonal linear map: {@code ‖y‖ = ‖x‖}, Lipschitz
 * constant exactly 1, inverted by the pixel shuffle ({@link #inverse}). No parameters; cost: one
 * copy. Unlike 2×2 average pooling (Lipschitz ½ on the signal it keeps, losing three quarters of
 * it), it keeps every certificate margin.
 */
public final class PixelUnshuffle extends Module implements LipschitzBounded, Structured, Invertible {
    private final int factor;

    /** @param factor r ≥ 1; H and W of the inputs must be multiples of r */
    public PixelUnshuffle(int factor) {
        this.factor = Checks.atLeast("PixelUnshuffle", "factor", 1, factor);
    }

    /** r. */
    public int factor() {
        return factor;
    }

    /**
     * @param x {@code [batch, C, H, W]}, H and W multiples of r; not mutated
     * @return {@code [batch, C·r², H/r, W/r]}
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.size(2) % factor != 0 || x.size(3) % factor != 0) {
            throw Checks.bad("PixelUnshuffle.forward", "x", "[batch, C, H, W] with H and W multiples of " + factor,
                    Arrays.toString(x.shape()));
        }
        long b = x.size(0);
        long c = x.size(1);
        long h = x.size(2) / factor;
        long w = x.size(3) / factor;
        return x.reshape(b, c, h, factor, w, factor).permute(0, 1, 3, 5, 2, 4).reshape(b, c * factor * factor, h, w);
    }

    /**
     * The pixel shuffle, {@code [batch, C·r², H, W] → [batch, C, H·r, W·r]}.
     *
     * @param y {@code [batch, C·r², H, W]}; not mutated
     */
    @Override
    public Tensor inverse(Tensor y) {
        int r2 = factor * factor;
        if (y.rank() != 4 || y.size(1) % r2 != 0) {
            throw Checks.bad("PixelUnshuffle.inverse", "y", "[batch, C·" + r2 + ", H, W]", Arrays.toString(y.shape()));
        }
        long b = y.size(0);
        long c = y.size(1) / r2;
        long h = y.size(2);
        long w = y.size(3);
        return y.reshape(b, c, factor, factor, h, w).permute(0, 1, 4, 2, 5, 3).reshape(b, c, h * factor, w * factor);
    }

    /** 1: a permutation of the entries. */
    @Override
    public double lipschitzBound() {
        return 1.0;
    }

    @Override
    public Set<Property> properties() {
        return Collections.unmodifiableSet(EnumSet.of(Property.LIPSCHITZ_1, Property.NORM_PRESERVING,
                Property.MASS_PRESERVING, Property.INVERTIBLE));
    }
}
