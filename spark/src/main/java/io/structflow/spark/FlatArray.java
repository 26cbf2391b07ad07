package io.structflow.spark;

import java.io.Serializable;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ND4J array as plain Java data (element type, shape, values in row-major order) so that it
 * travels through Java serialisation without ND4J's native buffers. float32 is kept as
 * {@code float[]}, float64 and int64 as {@code double[]} (int64 counters up to 2⁵³ are exact).
 *
 * @param type   ND4J element type name ({@code FLOAT}, {@code DOUBLE} or {@code LONG})
 * @param shape  the array's shape
 * @param floats the values if {@code type} is FLOAT, else null
 * @param doubles the values otherwise, else null
 */
record FlatArray(String type, long[] shape, float[] floats, double[] doubles) implements Serializable {
    /** A copy of {@code a}. */
    static FlatArray of(INDArray a) {
        INDArray c = a.dup('c');
        return switch (a.dataType()) {
            case FLOAT -> new FlatArray("FLOAT", a.shape(), c.data().asFloat(), null);
            case DOUBLE, LONG -> new FlatArray(a.dataType().name(), a.shape(), null, c.castTo(DataType.DOUBLE).data().asDouble());
            default -> throw new IllegalArgumentException("FlatArray.of: array expected float32, float64 or int64 but got "
                    + a.dataType());
        };
    }

    /** A new ND4J array with these values. */
    INDArray toNd4j() {
        INDArray a = floats != null
                ? (shape.length == 0 ? Nd4j.scalar(floats[0]) : Nd4j.create(floats, shape, 'c'))
                : create(doubles, shape);
        return "LONG".equals(type) ? a.castTo(DataType.LONG) : a;
    }

    /** A new float64 array of {@code shape} holding {@code values} in row-major order (rank 0 allowed). */
    static INDArray create(double[] values, long[] shape) {
        return shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, 'c');
    }

    /** Number of elements. */
    int length() {
        return floats != null ? floats.length : doubles.length;
    }

    /** Element {@code i} as a double. */
    double get(int i) {
        return floats != null ? floats[i] : doubles[i];
    }

    /** The same element type and shape with other values (rounded to float32 if the type is). */
    FlatArray withValues(double[] values) {
        if (floats == null) {
            return new FlatArray(type, shape, null, values);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return new FlatArray(type, shape, f, null);
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape);
    }
}
