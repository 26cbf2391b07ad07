package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The indicator of the box {@code [lo, hi]ⁿ} (0 inside, {@code +∞} outside), whose proximal
 * operator is the projection, elementwise
 * <pre>
 *   P(v) = min(max(v, lo), hi) = lo + relu(v − lo) − relu(v − hi),
 * </pre>
 * independent of τ. With it, proximal gradient is projected gradient descent
 * ({@link ProjectedGradient}); {@code [0, 1]} keeps images in their valid range.
 *
 * @param lo lower bound
 * @param hi upper bound, ≥ lo
 */
public record Box(double lo, double hi) implements Prox {
    public Box {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new ArithmeticException("Box: bounds expected finite but got [" + lo + ", " + hi + "]");
        }
        if (hi < lo) {
            throw Messages.badArgument("Box", "bounds", "lo ≤ hi", "[" + lo + ", " + hi + "]");
        }
    }

    /** The box {@code [0, 1]} of images. */
    public static Box unit() {
        return new Box(0, 1);
    }

    @Override
    public Tensor apply(Tensor v, double tau) {
        return v.sub(lo).relu().sub(v.sub(hi).relu()).add(lo);
    }

    @Override
    public double value(Tensor x) {
        INDArray d = Norms.asDouble(x);
        return d.minNumber().doubleValue() >= lo && d.maxNumber().doubleValue() <= hi ? 0 : Double.POSITIVE_INFINITY;
    }
}
