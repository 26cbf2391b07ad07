package io.structflow.core.autodiff;

import java.util.Arrays;

/** Shape arithmetic and the shape-error messages of the core, kept in one place. */
public final class Shapes {
    private Shapes() {
    }

    /** NumPy broadcast of two shapes, or an exception naming both. */
    public static long[] broadcast(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** "[2, 3]" */
    public static String str(long[] shape) {
        return Arrays.toString(shape);
    }

    /** Number of elements of a shape. */
    public static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Normalises a possibly negative axis against a rank, or throws naming the argument. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis expected in [" + (-rank) + ", " + (rank - 1)
                    + "] for a tensor of rank " + rank + " but got " + axis);
        }
        return a;
    }

    /**
     * Throws {@link IllegalArgumentException} unless {@code t} has the expected shape; entries
     * of {@code expected} equal to -1 match any size. The message names the argument.
     */
    public static void require(String where, String argument, Tensor t, long... expected) {
        long[] s = t.shape();
        boolean ok = s.length == expected.length;
        for (int i = 0; ok && i < s.length; i++) {
            ok = expected[i] < 0 || expected[i] == s[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(where + ": " + argument + " expected shape "
                    + pattern(expected) + " but got " + str(s));
        }
    }

    static String pattern(long[] expected) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < expected.length; i++) {
            b.append(i > 0 ? ", " : "").append(expected[i] < 0 ? "*" : Long.toString(expected[i]));
        }
        return b.append(']').toString();
    }
}
