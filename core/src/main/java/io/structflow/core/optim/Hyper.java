package io.structflow.core.optim;

/** Validation of hyper-parameters; the optimiser package's message templates, kept in one place. */
final class Hyper {
    private Hyper() {
    }

    static void requireRate(String where, String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(where + ": " + name + " expected a finite value ≥ 0 but got " + value);
        }
    }

    static void requirePositive(String where, String name, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException(where + ": " + name + " expected a finite value > 0 but got " + value);
        }
    }

    static void requireUnitInterval(String where, String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(where + ": " + name + " expected a value in [0, 1) but got " + value);
        }
    }

    static void requireEpoch(String where, int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException(where + ".rate: epoch expected ≥ 0 but got " + epoch);
        }
    }
}
