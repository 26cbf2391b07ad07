package io.structflow.core.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The contents of one IDX file: its shape, its element type code and its raw big-endian payload.
 *
 * <p>The IDX format (used by MNIST and Fashion-MNIST) is a four-byte magic number
 * {@code 0x00 0x00 <type> <rank>}, then {@code rank} big-endian unsigned 32-bit dimensions, then
 * the elements in row-major (C) order, each big-endian. The type codes are the constants of this
 * record: {@link #UNSIGNED_BYTE} {@code 0x08}, {@link #SIGNED_BYTE} {@code 0x09}, {@link #SHORT}
 * {@code 0x0B}, {@link #INT} {@code 0x0C}, {@link #FLOAT} {@code 0x0D}, {@link #DOUBLE}
 * {@code 0x0E}.
 *
 * <p>Instances are immutable: {@link #shape()} returns a copy and {@link #data()} a read-only,
 * big-endian view positioned at 0. Read them with {@link IdxReader#read(java.nio.file.Path)}.
 *
 * @param shape    the dimensions, outermost first; every entry ≥ 0
 * @param typeCode the IDX element type code (third byte of the magic number)
 * @param data     the payload, exactly {@code length() * elementSize(typeCode)} bytes, big-endian
 */
public record IdxArray(int[] shape, byte typeCode, ByteBuffer data) {

    /** Type code of unsigned 8-bit elements (the MNIST images and labels). */
    public static final byte UNSIGNED_BYTE = 0x08;
    /** Type code of signed 8-bit elements. */
    public static final byte SIGNED_BYTE = 0x09;
    /** Type code of signed 16-bit big-endian elements. */
    public static final byte SHORT = 0x0B;
    /** Type code of signed 32-bit big-endian elements. */
    public static final byte INT = 0x0C;
    /** Type code of IEEE 754 32-bit big-endian elements. */
    public static final byte FLOAT = 0x0D;
    /** Type code of IEEE 754 64-bit big-endian elements. */
    public static final byte DOUBLE = 0x0E;

    /**
     * Checks the shape against the payload size and freezes both.
     *
     * @throws IllegalArgumentException if a dimension is negative, the type code is not an IDX
     *                                  type, or the payload size is not shape × element size
     */
    public IdxArray {
        if (shape == null) {
            throw new IllegalArgumentException("IdxArray: shape expected non-null but got null");
        }
        if (data == null) {
            throw new IllegalArgumentException("IdxArray: data expected non-null but got null");
        }
        shape = shape.clone();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("IdxArray: shape expected non-negative dimensions but got "
                        + Arrays.toString(shape) + " (dimension " + i + ")");
            }
        }
        int size = elementSize(typeCode);
        long expected = elementCount(shape) * size;
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("IdxArray: data expected " + expected + " bytes for shape "
                    + Arrays.toString(shape) + " of " + typeName(typeCode) + " but got " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN);
    }

    /** Returns a copy of the dimensions, outermost first. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Returns a read-only big-endian view of the payload, positioned at 0; it shares memory. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements: the product of the dimensions (1 for rank 0). */
    public long length() {
        return elementCount(shape);
    }

    /**
     * Element {@code index} (row-major) converted to {@code double}; unsigned bytes give 0..255.
     *
     * @param index flat row-major index in {@code [0, length())}
     * @throws IndexOutOfBoundsException if the index is outside the array
     */
    public double getDouble(long index) {
        if (index < 0 || index >= length()) {
            throw new IndexOutOfBoundsException("IdxArray.getDouble: index expected in [0, " + length()
                    + ") but got " + index);
        }
        return at((int) index);
    }

    private double at(int i) {
        return switch (typeCode) {
            case UNSIGNED_BYTE -> data.get(i) & 0xFF;
            case SIGNED_BYTE -> data.get(i);
            case SHORT -> data.getShort(i * 2);
            case INT -> data.getInt(i * 4);
            case FLOAT -> data.getFloat(i * 4);
            case DOUBLE -> data.getDouble(i * 8);
            default -> throw new IllegalStateException("unreachable: type code checked at construction");
        };
    }

    /**
     * All elements as {@code int}, row-major; unsigned bytes give 0..255.
     *
     * @throws IllegalStateException if the element type is {@code float} or {@code double}
     */
    public int[] toIntArray() {
        if (typeCode == FLOAT || typeCode == DOUBLE) {
            throw new IllegalStateException("IdxArray.toIntArray: expected an integer element type but got "
                    + typeName(typeCode));
        }
        int n = Math.toIntExact(length());
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) at(i);
        }
        return out;
    }

    /** All elements converted to {@code float}, row-major; unsigned bytes give 0..255. */
    public float[] toFloatArray() {
        int n = Math.toIntExact(length());
        float[] out = new float[n];
        if (typeCode == UNSIGNED_BYTE) {
            for (int i = 0; i < n; i++) {
                out[i] = data.get(i) & 0xFF;
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = (float) at(i);
            }
        }
        return out;
    }

    /** All elements converted to {@code double}, row-major; unsigned bytes give 0..255. */
    public double[] toDoubleArray() {
        int n = Math.toIntExact(length());
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = at(i);
        }
        return out;
    }

    /** Two IDX arrays are equal when shape, type code and payload bytes are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof IdxArray that
                && typeCode == that.typeCode
                && Arrays.equals(shape, that.shape)
                && data.equals(that.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + typeCode) + data.hashCode();
    }

    @Override
    public String toString() {
        return "IdxArray[shape=" + Arrays.toString(shape) + ", type=" + typeName(typeCode) + "]";
    }

    /**
     * Size in bytes of one element of an IDX type.
     *
     * @param typeCode an IDX type code
     * @throws IllegalArgumentException if the code is not one of the six IDX types
     */
    public static int elementSize(byte typeCode) {
        return switch (typeCode) {
            case UNSIGNED_BYTE, SIGNED_BYTE -> 1;
            case SHORT -> 2;
            case INT, FLOAT -> 4;
            case DOUBLE -> 8;
            default -> throw new IllegalArgumentException("IdxArray: typeCode expected one of 0x08 (ubyte), "
                    + "0x09 (byte), 0x0B (short), 0x0C (int), 0x0D (float), 0x0E (double) but got "
                    + String.format("0x%02X", typeCode & 0xFF));
        };
    }

    /**
     * Readable name of an IDX type code, e.g. {@code "ubyte (0x08)"}; unknown codes give
     * {@code "unknown (0x..)"}.
     */
    public static String typeName(byte typeCode) {
        String name = switch (typeCode) {
            case UNSIGNED_BYTE -> "ubyte";
            case SIGNED_BYTE -> "byte";
            case SHORT -> "short";
            case INT -> "int";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            default -> "unknown";
        };
        return name + String.format(" (0x%02X)", typeCode & 0xFF);
    }

    static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }
}
