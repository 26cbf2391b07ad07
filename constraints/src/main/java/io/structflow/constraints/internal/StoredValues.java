package io.structflow.constraints.internal;

import io.structflow.core.nn.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A parameter's values as a row-major {@code double[]}, and the way back, with rounding into
 * the storage type ({@code float32} or {@code float64}) done explicitly so that projectors can
 * check membership on exactly the values that will be stored.
 */
public final class StoredValues {
    private StoredValues() {
    }

    /** A row-major copy of the values in double precision. */
    public static double[] read(INDArray value) {
        return value.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }

    /** A row-major copy of the parameter's values in double precision. */
    public static double[] read(Parameter p) {
        return read(p.value());
    }

    /** Writes row-major values into the parameter's storage (identity kept), rounding to its type. */
    public static void write(Parameter p, double[] values) {
        INDArray a = Nd4j.create(values, p.shape(), 'c').castTo(p.dtype());
        p.updateInPlace(a);
    }

    /** {@code v} rounded to the nearest value of {@code type}. */
    public static double round(double v, DataType type) {
        return type == DataType.FLOAT ? (double) (float) v : v;
    }

    /** The largest value of {@code type} strictly below {@code v} ({@code v} representable in it). */
    public static double nextDown(double v, DataType type) {
        return type == DataType.FLOAT ? (double) Math.nextDown((float) v) : Math.nextDown(v);
    }

    /** The smallest value of {@code type} that is ≥ {@code lo} (rounding a lower bound inward). */
    public static double atLeast(double lo, DataType type) {
        if (Double.isInfinite(lo)) {
            return lo;
        }
        double r = round(lo, type);
        return r < lo ? (type == DataType.FLOAT ? (double) Math.nextUp((float) r) : Math.nextUp(r)) : r;
    }

    /** The largest value of {@code type} that is ≤ {@code hi} (rounding an upper bound inward). */
    public static double atMost(double hi, DataType type) {
        if (Double.isInfinite(hi)) {
            return hi;
        }
        double r = round(hi, type);
        return r > hi ? nextDown(r, type) : r;
    }
}
