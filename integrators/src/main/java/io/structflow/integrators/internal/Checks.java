package io.structflow.integrators.internal;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/** Argument checks and their messages for the whole integrators module, kept in one place. */
public final class Checks {
    private Checks() {
    }

    /**
     * Validates the arguments of a step and returns {@code h} as a rank-0 tensor (differentiable).
     *
     * @throws IllegalArgumentException if {@code x} is not batch-first or {@code h} is not one
     *                                  element of {@code x}'s type
     * @throws ArithmeticException      if {@code h} is NaN or infinite
     */
    public static Tensor step(String who, Tensor x, Tensor h) {
        if (x == null || h == null) {
            throw new IllegalArgumentException(who + ": x and h expected tensors but got "
                    + (x == null ? "x = null" : "h = null"));
        }
        if (x.rank() < 2) {
            throw new IllegalArgumentException(who + ": x expected shape [batch, n] (batch first) but got "
                    + Shapes.str(x.shape()));
        }
        if (h.length() != 1) {
            throw new IllegalArgumentException(who + ": h expected a scalar step size (one element) but got shape "
                    + Shapes.str(h.shape()));
        }
        if (h.dtype() != x.dtype()) {
            throw new IllegalArgumentException(who + ": h expected element type " + x.dtype() + " (that of x) but got "
                    + h.dtype());
        }
        // Read without Tensor.item(): the value only guards against NaN/∞ and never feeds the
        // computation, so it must not mark a recorded training step (Replay) as host-dependent.
        double value = h.value().getDouble(0);
        if (!Double.isFinite(value)) {
            throw new ArithmeticException(who + ": h expected a finite step size but got " + value);
        }
        return h.rank() == 0 ? h : h.reshape(new long[0]);
    }

    /**
     * Evaluates {@code field} (a vector field's {@code apply}) at {@code x} and checks the result has
     * {@code x}'s shape and type.
     *
     * @throws IllegalArgumentException naming the integrator and both shapes
     */
    public static Tensor apply(String who, UnaryOperator<Tensor> field, Tensor x) {
        if (field == null) {
            throw new IllegalArgumentException(who + ": field expected a vector field but got null");
        }
        Tensor f = field.apply(x);
        if (f == null || !Arrays.equals(f.shape(), x.shape()) || f.dtype() != x.dtype()) {
            throw new IllegalArgumentException(who + ": field output expected shape " + Shapes.str(x.shape())
                    + " and type " + x.dtype() + " (those of x) but got "
                    + (f == null ? "null" : Shapes.str(f.shape()) + " " + f.dtype()));
        }
        return f;
    }

    /** Half the size of the last axis of {@code x = [q, p]}, or an exception if it is odd. */
    public static long halfDimension(String who, Tensor x) {
        long n = x.size(-1);
        if (n % 2 != 0 || n == 0) {
            throw new IllegalArgumentException(who + ": x expected an even, non-zero last axis [.., 2d] holding [q, p] "
                    + "but got shape " + Shapes.str(x.shape()));
        }
        return n / 2;
    }

    /** Throws unless {@code t} has the given rank. */
    public static void requireRank(String who, String argument, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(who + ": " + argument + " expected rank " + rank + " but got shape "
                    + Shapes.str(t.shape()));
        }
    }

    /** Throws unless {@code t} has exactly the given shape. */
    public static void requireShape(String who, String argument, Tensor t, long... shape) {
        Shapes.require(who, argument, t, shape);
    }

    /** Throws unless {@code value} is a finite positive number. */
    public static double positive(String who, String argument, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(who + ": " + argument + " expected a finite positive number but got "
                    + value);
        }
        return value;
    }
}
