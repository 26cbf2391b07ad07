package io.structflow.constraints.internal;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.nn.Parameter;

/** Message templates of the constraints module, so that every error reads the same way. */
public final class Messages {
    private Messages() {
    }

    /** {@code "<where>: parameter <name> expected <expected> but got shape [..]"}. */
    public static IllegalArgumentException badShape(String where, Parameter p, String expected) {
        return new IllegalArgumentException(where + ": parameter " + p.name() + " expected " + expected
                + " but got shape " + Shapes.str(p.shape()));
    }

    /** {@code "<where>: <argument> expected <expected> but got <actual>"}. */
    public static IllegalArgumentException badArgument(String where, String argument, String expected, Object actual) {
        return new IllegalArgumentException(where + ": " + argument + " expected " + expected + " but got " + actual);
    }

    /** Requires a finite value &gt; 0. */
    public static double positive(String where, String argument, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw badArgument(where, argument, "a finite value > 0", v);
        }
        return v;
    }

    /** Requires an integer ≥ 1. */
    public static int atLeastOne(String where, String argument, int v) {
        if (v < 1) {
            throw badArgument(where, argument, "an integer ≥ 1", v);
        }
        return v;
    }

    /** Throws an {@link ArithmeticException} if {@code p} holds NaN or ±∞, naming the projector. */
    public static void requireFinite(String projector, Parameter p) {
        p.requireFinite("before projection by " + projector);
    }
}
