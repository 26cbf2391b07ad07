package io.structflow.layers.fields;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The argument checks and message templates of the layers module, in one place: every message
 * names the method, the argument, what was expected and what came.
 */
public final class FieldChecks {
    private FieldChecks() {
    }

    /**
     * Requires {@code x} to be {@code [batch, n]} of the given element type.
     *
     * @param where     the calling method, e.g. {@code "ContractiveGradientField.apply"}
     * @param x         the input
     * @param n         the field dimension
     * @param type      the field's element type
     */
    public static void requireVectors(String where, Tensor x, long n, DataType type) {
        if (x == null) {
            throw new IllegalArgumentException(where + ": x expected shape [batch, " + n + "] but got null");
        }
        if (x.rank() != 2 || x.size(1) != n) {
            throw new IllegalArgumentException(where + ": x expected shape [batch, " + n + "] but got "
                    + Shapes.str(x.shape()) + " (field dimension is " + n + ")");
        }
        requireType(where, x, type);
    }

    /** Requires {@code x} to have the element type of the field's parameters. */
    public static void requireType(String where, Tensor x, DataType type) {
        if (x.dtype() != type) {
            throw new IllegalArgumentException(where + ": x expected element type " + type + " (the field's) but got "
                    + x.dtype() + "; convert with x.to(" + type + ")");
        }
    }

    /** Requires {@code value ≥ 1}. */
    public static int positive(String where, String argument, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(where + ": " + argument + " expected ≥ 1 but got " + value);
        }
        return value;
    }

    /** Requires {@code value ≥ 2} (a state dimension with a pair of components). */
    public static int atLeastTwo(String where, String argument, int value) {
        if (value < 2) {
            throw new IllegalArgumentException(where + ": " + argument + " expected ≥ 2 but got " + value);
        }
        return value;
    }

    /** Requires an even {@code value ≥ 2} (a state {@code [q, p]}). */
    public static int even(String where, String argument, int value) {
        if (value < 2 || value % 2 != 0) {
            throw new IllegalArgumentException(where + ": " + argument + " expected an even number ≥ 2 (a state [q, p]) "
                    + "but got " + value);
        }
        return value;
    }

    /** Requires float32 or float64. */
    public static DataType floating(String where, DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException(where + ": type expected FLOAT or DOUBLE but got " + type);
        }
        return type;
    }

    /** Requires a non-null generator. */
    public static SplittableRandom rng(String where, SplittableRandom rng) {
        if (rng == null) {
            throw new IllegalArgumentException(where + ": rng expected a seeded SplittableRandom but got null");
        }
        return rng;
    }

    /** Requires a finite bound {@code c > 0}. */
    public static double positiveBound(String where, String argument, double c) {
        if (!(c > 0) || !Double.isFinite(c)) {
            throw new IllegalArgumentException(where + ": " + argument + " expected a finite value > 0 but got " + c);
        }
        return c;
    }
}
