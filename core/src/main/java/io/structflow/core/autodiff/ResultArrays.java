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
 * way. Empty arrays (a zero dimension) are always made the ordinary way.
 */
final class ResultArrays {
    static final int MAX_SHAPES = 4096;

    private static final ConcurrentMap<Key, Template> TEMPLATES = new ConcurrentHashMap<>();

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

    /** A new uninitialised row-major array of this type and shape (its own data, shared shape information). */
    static INDArray create(DataType type, long[] shape) {
        Template t = TEMPLATES.get(new Key(type, shape));
        if (t == null) {
            INDArray a = Nd4j.createUninitialized(type, shape, 'c');
            if (!a.isEmpty() && TEMPLATES.size() < MAX_SHAPES
                    && a.shapeInfoDataBuffer() instanceof LongBuffer info) {
                TEMPLATES.putIfAbsent(new Key(type, shape.clone()), new Template(info, a.shapeInfoJava().clone(), a.length()));
            }
            return a;
        }
        DataBuffer data = Nd4j.createBuffer(type, t.length, false);
        return new NDArray(data, t.shapeInfo, t.javaShapeInfo.clone());
    }
}
