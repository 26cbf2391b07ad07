package io.structflow.examples.support;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Summaries over the runs (seeds) of an experiment and number formats of its tables. */
public final class Summary {
    private Summary() {
    }

    /**
     * The median (mean of the two middle values for an even count).
     *
     * @throws IllegalArgumentException for an empty array
     */
    public static double median(double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("Summary.median: values expected at least one number but got none");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    /** The median of {@code metric} over {@code items}. */
    public static <T> double median(List<T> items, ToDoubleFunction<T> metric) {
        return median(items.stream().mapToDouble(metric).toArray());
    }

    /** The largest value, or 0 for an empty array. */
    public static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Scientific notation with three significant digits, e.g. {@code 4.09e-05}. */
    public static String sci(double v) {
        return String.format("%.2e", v);
    }

    /** Scientific notation with {@code digits} significant digits, e.g. {@code 4.093e-05} for 4. */
    public static String sci(double v, int digits) {
        return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
    }
}
