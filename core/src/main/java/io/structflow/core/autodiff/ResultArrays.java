package io.structflow.core.autodiff;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.cpu.nativecpu.NDArray;
import org.nd4j.linalg.cpu.nativecpu.buffer.LongBuffer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * New uninitialised row-major result arrays whose shape information (ND4J's shape-info buffer: rank,
 * shape, strides, type flags) is shared by every array of the same element type and shape.
 *
 * <p>{@code Nd4j.createUninitialized} builds a new shape-info buffer for each array: a JavaCPP
 * pointer (with the off-heap cap check of {@code maxphysicalbytes}, a read of
 * {@code /proc/self/statm}), a native copy and a deallocator registration — about 40 % of the cost
 * of creating a small array ({@code docs/performance.md}, "Eager tiny ops"). A shape-info buffer is
 * never written after it is made (reshapes, views and permutes make new ones; closing an array frees
 * only its data), so one per element type and shape serves all arrays of that type and shape, on
 * every thread. The data buffer is new for every array, as before.
 *
 * <p>At most {@value #MAX_SHAPES} shapes are kept; arrays of further shapes are made the ordinary
 * way. Empty arrays (a zero dimension) are always made the ordinary way. The same shared shape
 * information serves {@link #reshaped} views; {@link #scalar} and {@link #ones} keep read-only operands.
 */
final class ResultArrays {
    static final int MAX_SHAPES = 4096;

    static final int MAX_SCALARS = 1024;

    private static final ConcurrentMap<Key, Template> TEMPLATES = new ConcurrentHashMap<>();
    private static final ConcurrentMap<ScalarKey, INDArray> SCALARS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<Key, INDArray> ONES = new ConcurrentHashMap<>();

    private ResultArrays() {
    }

    /** An element type and shape, compared by value (the shape's contents, not its identity). */
    record Key(DataType type, long[] shape) {
        /** The key of an existing array (its shape copied). */
        static Key of(INDArray array) {
            return new Key(array.dataType(), array.shape());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.type == type && Arrays.equals(k.shape, shape);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(shape);
        }
    }

    /** The shared shape information of one type and shape, and the element count. */
    private record Template(LongBuffer shapeInfo, long[] javaShapeInfo, long length) {
    }

    /** A value of an element type, compared by its bits (so −0.0 and 0.0 differ, and NaN equals NaN). */
    private record ScalarKey(DataType type, long bits) {
    }

    /** A new uninitialised row-major array of this type and shape (its own data, shared shape information). */
    static INDArray create(DataType type, long[] shape) {
        Template t = template(type, shape);
        if (t == null) {
            return Nd4j.createUninitialized(type, shape, 'c');
        }
        DataBuffer data = Nd4j.createBuffer(type, t.length, false);
        return new NDArray(data, t.shapeInfo, t.javaShapeInfo.clone());
    }

    /**
     * A row-major view of {@code a} with another shape of the same length, sharing its data buffer
     * object as ND4J's own reshape does, or null when {@code a} is not one row-major block from the
     * start of its data buffer (row-major order, element stride 1: ND4J keeps a view's offset in its
     * data buffer) or the shape has no shared shape information.
     */
    static INDArray reshaped(INDArray a, long[] shape) {
        if (a.isEmpty() || a.ordering() != 'c' || a.elementWiseStride() != 1) {
            return null;
        }
        Template t = template(a.dataType(), shape);
        return t == null || t.length != a.length() ? null : new NDArray(a.data(), t.shapeInfo, t.javaShapeInfo.clone());
    }

    /**
     * A rank-0 array holding {@code value} rounded to {@code type}, shared by every caller asking for
     * the same value: an operand that is only read (a constant factor or summand), never written. At
     * most {@value #MAX_SCALARS} values are kept; further ones are made for each call.
     */
    static INDArray scalar(DataType type, double value) {
        ScalarKey key = new ScalarKey(type, Double.doubleToRawLongBits(value));
        INDArray s = SCALARS.get(key);
        if (s == null) {
            s = Nd4j.scalar(type, value);
            if (SCALARS.size() < MAX_SCALARS) {
                INDArray kept = SCALARS.putIfAbsent(key, s);
                s = kept == null ? s : kept;
            }
        }
        return s;
    }

    /**
     * A row {@code [1, n]} of ones of {@code type}, shared by every caller asking for the same type and
     * length: a read-only operand (the left factor of a column sum {@code 1ᵀX}). At most
     * {@value #MAX_SCALARS} rows are kept; further ones are made for each call.
     */
    static INDArray ones(DataType type, long n) {
        Key key = new Key(type, new long[] {1, n});
        INDArray row = ONES.get(key);
        if (row == null) {
            row = Nd4j.ones(type, 1, n);
            if (ONES.size() < MAX_SCALARS) {
                INDArray kept = ONES.putIfAbsent(key, row);
                row = kept == null ? row : kept;
            }
        }
        return row;
    }

    /** The shared shape information of this type and shape, made from an ordinary array the first time; null when not kept. */
    private static Template template(DataType type, long[] shape) {
        if (Shapes.size(shape) == 0) {
            return null;   // empty arrays are made the ordinary way, without making one here first
        }
        Template t = TEMPLATES.get(new Key(type, shape));
        if (t == null && TEMPLATES.size() < MAX_SHAPES) {
            INDArray a = Nd4j.createUninitialized(type, shape, 'c');
            if (a.shapeInfoDataBuffer() instanceof LongBuffer info) {
                t = new Template(info, a.shapeInfoJava().clone(), a.length());
                Template kept = TEMPLATES.putIfAbsent(new Key(type, shape.clone()), t);
                t = kept == null ? t : kept;
            }
            a.close();
        }
        return t;
    }
}
