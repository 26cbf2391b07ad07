package io.structflow.imaging;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;

/** Message templates of the inverse-problems package, so that every error reads the same way. */
final class Messages {
    private Messages() {
    }

    /** {@code "<where>: <argument> expected <expected> but got <actual>"}. */
    static IllegalArgumentException badArgument(String where, String argument, String expected, Object actual) {
        return new IllegalArgumentException(where + ": " + argument + " expected " + expected + " but got " + actual);
    }

    /** {@code "<where>: <argument> expected shape <expected> but got [..]"}. */
    static IllegalArgumentException badShape(String where, String argument, String expected, Tensor actual) {
        return new IllegalArgumentException(where + ": " + argument + " expected shape " + expected + " but got "
                + Shapes.str(actual.shape()));
    }

    /** Requires a finite value &gt; 0. */
    static double positive(String where, String argument, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new ArithmeticException(where + ": " + argument + " expected a finite value > 0 but got " + v);
        }
        if (!(v > 0)) {
            throw badArgument(where, argument, "a finite value > 0", v);
        }
        return v;
    }

    /** Requires a finite value ≥ 0. */
    static double nonNegative(String where, String argument, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new ArithmeticException(where + ": " + argument + " expected a finite value ≥ 0 but got " + v);
        }
        if (v < 0) {
            throw badArgument(where, argument, "a finite value ≥ 0", v);
        }
        return v;
    }

    /** Requires an image batch {@code [batch, channels, height, width]}. */
    static void requireImages(String where, String argument, Tensor x) {
        if (x.rank() != 4) {
            throw badShape(where, argument, "[batch, channels, height, width]", x);
        }
    }

    /** Requires two tensors of the same shape. */
    static void requireSameShape(String where, String argument, Tensor x, String otherName, Tensor other) {
        if (!java.util.Arrays.equals(x.shape(), other.shape())) {
            throw new IllegalArgumentException(where + ": " + argument + " expected the shape of " + otherName + " "
                    + Shapes.str(other.shape()) + " but got " + Shapes.str(x.shape()));
        }
    }
}
