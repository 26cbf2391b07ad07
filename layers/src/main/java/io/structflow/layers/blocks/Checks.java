package io.structflow.layers.blocks;

/** Argument checks and their messages, shared by the blocks of this package. */
final class Checks {
    private Checks() {
    }

    /** {@code "<where>: <argument> expected <expected> but got <actual>"}. */
    static IllegalArgumentException bad(String where, String argument, String expected, Object actual) {
        return new IllegalArgumentException(where + ": " + argument + " expected " + expected + " but got " + actual);
    }

    static int atLeast(String where, String argument, int min, int v) {
        if (v < min) {
            throw bad(where, argument, "an integer ≥ " + min, v);
        }
        return v;
    }

    static void notNull(String where, String argument, Object v) {
        if (v == null) {
            throw bad(where, argument, "non-null", "null");
        }
    }
}
