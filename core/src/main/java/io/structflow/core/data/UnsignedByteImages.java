package io.structflow.core.data;

import io.structflow.core.Backend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images {@code [N, C, H, W]} held as the unsigned bytes of an IDX file (see {@link IdxArray}),
 * off the Java heap, and turned into floating-point pixels only for the images asked for: a
 * mini-batch, an evaluation set. 60 000 Fashion-MNIST images hold 47 MB this way, against 188 MB
 * as float32.
 *
 * <p><b>Pixel values.</b> Byte {@code v} (0..255) stands for the float32 value nearest to
 * {@code v / 255}, computed as {@code (float) (v / 255.0)} (for every byte the same float as
 * {@code v / 255f}); a float64 array receives that float32 value widened, so a float64 copy holds
 * exactly the values of a float32 one.
 *
 * <p>Instances are immutable and safe to share between threads; {@link #first(int)} is a view that
 * shares the bytes.
 */
public final class UnsignedByteImages {
    private static final float[] PIXEL = new float[256];

    static {
        for (int v = 0; v < PIXEL.length; v++) {
            PIXEL[v] = (float) (v / 255.0);
        }
    }

    private final ByteBuffer bytes;
    private final long[] shape;
    private final int imageBytes;

    private UnsignedByteImages(ByteBuffer bytes, long[] shape) {
        this.bytes = bytes.slice().asReadOnlyBuffer();
        this.shape = shape;
        this.imageBytes = Math.toIntExact(shape[1] * shape[2] * shape[3]);
    }

    /**
     * Reads an IDX file of unsigned-byte images; a rank-3 file {@code [N, H, W]} (MNIST's layout)
     * gains a channel axis, a rank-4 file {@code [N, C, H, W]} is kept as it is.
     *
     * @param path an IDX file of type ubyte (0x08) and rank 3 or 4, plain or gzip
     * @throws NoSuchFileException if the file does not exist
     * @throws IdxFormatException  if the file is not valid IDX, not ubyte, or not rank 3/4
     * @throws IOException         on any other read failure
     */
    public static UnsignedByteImages read(Path path) throws IOException {
        IdxArray idx = IdxReader.read(path);
        return new UnsignedByteImages(idx.data(), IdxReader.imageShape(path, idx));
    }

    /** Number of images N. */
    public int count() {
        return (int) shape[0];
    }

    /** The shape {@code [N, C, H, W]} (a copy). */
    public long[] shape() {
        return shape.clone();
    }

    /** A read-only view of the bytes, row-major ({@code N·C·H·W} of them), positioned at 0. */
    public ByteBuffer bytes() {
        return bytes.duplicate();
    }

    /**
     * The first {@code n} images, sharing these bytes.
     *
     * @param n images, 0 to {@link #count()}
     */
    public UnsignedByteImages first(int n) {
        if (n < 0 || n > count()) {
            throw new IllegalArgumentException("UnsignedByteImages.first: n expected 0.." + count() + " but got " + n);
        }
        long[] s = shape();
        s[0] = n;
        return new UnsignedByteImages(bytes.duplicate().limit(n * imageBytes), s);
    }

    /**
     * The images at {@code indices}, in that order, as new images holding their own copy of the
     * bytes.
     *
     * @param indices each in {@code [0, count())}
     */
    public UnsignedByteImages select(int[] indices) {
        checkIndices("select", indices);
        ByteBuffer out = ByteBuffer.allocateDirect(Math.multiplyExact(indices.length, imageBytes));
        for (int index : indices) {
            out.put(bytes.slice(index * imageBytes, imageBytes));
        }
        long[] s = shape();
        s[0] = indices.length;
        return new UnsignedByteImages(out.flip(), s);
    }

    /**
     * All images as a new row-major array {@code [N, C, H, W]} of pixel values (see the class
     * comment).
     *
     * @param type FLOAT or DOUBLE
     */
    public INDArray toArray(DataType type) {
        int[] all = new int[count()];
        Arrays.setAll(all, i -> i);
        return toArray(all, type);
    }

    /**
     * The images at {@code indices}, in that order, as a new row-major array {@code [k, C, H, W]}
     * of pixel values (see the class comment).
     *
     * @param indices each in {@code [0, count())}
     * @param type    FLOAT or DOUBLE
     */
    public INDArray toArray(int[] indices, DataType type) {
        checkIndices("toArray", indices);
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("UnsignedByteImages.toArray: type expected FLOAT or DOUBLE but got "
                    + type);
        }
        Backend.init();
        long[] s = shape();
        s[0] = indices.length;
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, s, 'c');
        if (indices.length > 0) {
            // the pixels are written straight into the array's native buffer, one image at a time
            FloatBuffer target = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
            byte[] image = new byte[imageBytes];
            float[] row = new float[imageBytes];
            for (int index : indices) {
                bytes.get(index * imageBytes, image);
                for (int j = 0; j < imageBytes; j++) {
                    row[j] = PIXEL[image[j] & 0xFF];
                }
                target.put(row);
            }
        }
        // widening float32 to float64 is exact
        return type == DataType.FLOAT ? out : out.castTo(DataType.DOUBLE);
    }

    private void checkIndices(String where, int[] indices) {
        if (indices == null) {
            throw new IllegalArgumentException("UnsignedByteImages." + where + ": indices expected int[] but got null");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= count()) {
                throw new IllegalArgumentException("UnsignedByteImages." + where + ": indices[" + i + "] expected in [0, "
                        + count() + ") but got " + indices[i]);
            }
        }
    }

    @Override
    public String toString() {
        return "UnsignedByteImages" + Arrays.toString(shape);
    }
}
