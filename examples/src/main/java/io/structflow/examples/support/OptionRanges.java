package io.structflow.examples.support;

import java.util.function.Function;

/**
 * Checks of option values, each failing with the one message template of the command line:
 * {@code --option: expected … but got …}.
 */
public final class OptionRanges {
    private OptionRanges() {
    }

    /**
     * {@code value} when it is at least {@code min}.
     *
     * @throws IllegalArgumentException naming {@code option} otherwise
     */
    public static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + ": expected ≥ " + min + " but got " + value);
        }
        return value;
    }

    /**
     * {@code value} when it is finite and positive.
     *
     * @throws IllegalArgumentException naming {@code option} otherwise
     */
    public static double positive(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + ": expected a finite value > 0 but got " + value);
        }
        return value;
    }

    /**
     * {@code value} when it is finite and not negative.
     *
     * @throws IllegalArgumentException naming {@code option} otherwise
     */
    public static double nonNegative(String option, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + ": expected a finite value ≥ 0 but got " + value);
        }
        return value;
    }

    /**
     * {@code value} when it is finite.
     *
     * @throws IllegalArgumentException naming {@code option} otherwise
     */
    public static double finite(String option, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(option + ": expected a finite value but got " + value);
        }
        return value;
    }

    /**
     * {@code value} parsed by {@code parser}, a parser of the library whose message does not know the
     * option: a rejection is reported as {@code option: <its message>}, as picocli reports a value it
     * cannot convert.
     *
     * @throws IllegalArgumentException naming {@code option} when {@code parser} rejects {@code value}
     */
    public static <T> T parse(String option, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
