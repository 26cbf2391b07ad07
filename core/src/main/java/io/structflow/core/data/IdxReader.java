package io.structflow.core.data;

import io.structflow.core.Backend;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed.
 *
 * <p>Compression is detected from the content (the gzip magic bytes {@code 1f 8b}), never from
 * the file name. The layout is described in {@link IdxArray}. Every failure names the file:
 * <ul>
 *   <li>a missing file throws {@link NoSuchFileException}, whose message says how to install
 *       Fashion-MNIST ({@value FashionMnist#INSTALL_HINT});</li>
 *   <li>a bad magic number, an unsupported type code, a payload shorter or longer than the header
 *       declares, or a corrupt gzip stream throws {@link IdxFormatException}.</li>
 * </ul>
 * Arrays are limited to 2<sup>31</sup>−9 payload bytes (Java array size).
 */
public final class IdxReader {

    private static final int BUFFER_SIZE = 1 << 16;
    private static final int MAX_PAYLOAD = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /**
     * Reads a whole IDX file.
     *
     * @param path an IDX file, plain or gzip-compressed
     * @return its shape, element type code and payload
     * @throws NoSuchFileException if the file does not exist (the message says how to get the data)
     * @throws IdxFormatException  if the bytes are not a valid IDX array
     * @throws IOException         on any other read failure
     */
    public static IdxArray read(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("IdxReader.read: path expected non-null but got null");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null,
                    "IDX file not found (for Fashion-MNIST: " + FashionMnist.INSTALL_HINT + ")");
        }
        if (Files.isDirectory(path)) {
            throw new IdxFormatException(path, "expected an IDX file but got a directory");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), BUFFER_SIZE)) {
            boolean gzip = startsWithGzipMagic(raw);
            InputStream in = gzip ? new GZIPInputStream(raw, BUFFER_SIZE) : raw;
            try {
                return parse(path, in, gzip ? -1 : Files.size(path));
            } catch (ZipException e) {
                throw new IdxFormatException(path, "corrupt gzip data: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads an IDX file of unsigned-byte images as a float array scaled to [0, 1].
     *
     * <p>A rank-3 file {@code [N, H, W]} (MNIST's layout) gains a channel axis; a rank-4 file
     * {@code [N, C, H, W]} is kept as it is. Each pixel {@code v} becomes {@code v / 255}.
     *
     * @param path     an IDX file of type ubyte (0x08) and rank 3 or 4, plain or gzip
     * @param dataType a floating-point ND4J type for the result (FLOAT, DOUBLE, HALF, BFLOAT16)
     * @return a new array of shape {@code [N, 1, H, W]} (or {@code [N, C, H, W]}), values in [0, 1]
     * @throws IllegalArgumentException if {@code dataType} is not a floating-point type
     * @throws NoSuchFileException      if the file does not exist
     * @throws IdxFormatException       if the file is not valid IDX, not ubyte, or not rank 3/4
     * @throws IOException              on any other read failure
     */
    public static INDArray readImages(Path path, DataType dataType) throws IOException {
        if (dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException("IdxReader.readImages: dataType expected a floating-point type "
                    + "(FLOAT, DOUBLE, HALF, BFLOAT16) but got " + dataType + " (file " + path + ")");
        }
        IdxArray idx = read(path);
        long[] nchw = imageShape(path, idx);
        Backend.init();
        ByteBuffer data = idx.data();
        int n = data.remaining();
        // written straight into the array's off-heap buffer, without a heap copy of the whole set
        // (60 000 Fashion-MNIST images are 188 MB as float32); (float) (v / 255.0) is v / 255f for
        // every byte v
        DataType stored = dataType == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
        INDArray out = Nd4j.createUninitialized(stored, nchw, 'c');
        DataBuffer buffer = out.data();
        for (int i = 0; i < n; i++) {
            buffer.put(i, (data.get(i) & 0xFF) / 255.0);
        }
        return dataType == stored ? out : out.castTo(dataType);
    }

    /**
     * The shape {@link #readImages} gives the images of an IDX array read from {@code path}:
     * {@code [N, 1, H, W]} for a rank-3 array, {@code [N, C, H, W]} for a rank-4 one.
     *
     * @throws IdxFormatException if the array is not ubyte or not rank 3/4 (naming {@code path})
     */
    public static long[] imageShape(Path path, IdxArray idx) throws IdxFormatException {
        int[] shape = idx.shape();
        if (idx.typeCode() != IdxArray.UNSIGNED_BYTE) {
            throw new IdxFormatException(path, "images expected element type " + IdxArray.typeName(IdxArray.UNSIGNED_BYTE)
                    + " but got " + IdxArray.typeName(idx.typeCode()));
        }
        if (shape.length == 3) {
            return new long[] {shape[0], 1, shape[1], shape[2]};
        }
        if (shape.length == 4) {
            return new long[] {shape[0], shape[1], shape[2], shape[3]};
        }
        throw new IdxFormatException(path, "images expected shape [N, H, W] or [N, C, H, W] but got "
                + Arrays.toString(shape));
    }

    /**
     * Reads an IDX file of integer labels.
     *
     * @param path an IDX file of rank 1 and an integer element type (ubyte for MNIST), plain or gzip
     * @return the labels, one per entry
     * @throws NoSuchFileException if the file does not exist
     * @throws IdxFormatException  if the file is not valid IDX, not rank 1, or not of an integer type
     * @throws IOException         on any other read failure
     */
    public static int[] readLabels(Path path) throws IOException {
        IdxArray idx = read(path);
        if (idx.rank() != 1) {
            throw new IdxFormatException(path, "labels expected shape [N] but got " + Arrays.toString(idx.shape()));
        }
        if (idx.typeCode() == IdxArray.FLOAT || idx.typeCode() == IdxArray.DOUBLE) {
            throw new IdxFormatException(path, "labels expected an integer element type (ubyte, byte, short, int) "
                    + "but got " + IdxArray.typeName(idx.typeCode()));
        }
        return idx.toIntArray();
    }

    private static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1F && b1 == 0x8B;
    }

    /** Parses the stream; {@code fileSize} is the plain file's size, or -1 for a gzip stream. */
    private static IdxArray parse(Path path, InputStream in, long fileSize) throws IOException {
        String source = fileSize < 0 ? "the decompressed stream" : "the file";
        byte[] magic = new byte[4];
        int got = readFully(in, magic, 0, 4);
        if (got < 4) {
            throw new IdxFormatException(path, "truncated: expected a 4-byte IDX magic number but " + source
                    + " has only " + got + " bytes");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(path, String.format(
                    "bad magic number: expected 0x0000TTRR (two zero bytes, type code TT, rank RR) but got 0x%02X%02X%02X%02X"
                            + " (not an IDX file)", magic[0], magic[1], magic[2], magic[3]));
        }
        byte typeCode = magic[2];
        int elementSize;
        try {
            elementSize = IdxArray.elementSize(typeCode);
        } catch (IllegalArgumentException e) {
            throw new IdxFormatException(path, String.format("unsupported element type code 0x%02X: expected one of "
                    + "0x08 (ubyte), 0x09 (byte), 0x0B (short), 0x0C (int), 0x0D (float), 0x0E (double)",
                    typeCode & 0xFF));
        }
        int rank = magic[3] & 0xFF;
        byte[] dimBytes = new byte[4 * rank];
        got = readFully(in, dimBytes, 0, dimBytes.length);
        if (got < dimBytes.length) {
            throw new IdxFormatException(path, "truncated: header declares rank " + rank + " (" + dimBytes.length
                    + " bytes of dimensions) but " + source + " has only " + got + " of them");
        }
        ByteBuffer dims = ByteBuffer.wrap(dimBytes);
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            long d = Integer.toUnsignedLong(dims.getInt());
            if (d > Integer.MAX_VALUE) {
                throw new IdxFormatException(path, "dimension " + i + " is " + d + ", larger than this reader's limit "
                        + Integer.MAX_VALUE);
            }
            shape[i] = (int) d;
        }
        long payload;
        try {
            payload = Math.multiplyExact(IdxArray.elementCount(shape), (long) elementSize);
        } catch (ArithmeticException e) {
            payload = Long.MAX_VALUE;
        }
        String declared = "header declares shape " + Arrays.toString(shape) + " of " + IdxArray.typeName(typeCode)
                + " = " + payload + " data bytes";
        if (payload > MAX_PAYLOAD) {
            throw new IdxFormatException(path, declared + ", more than this reader's limit of " + MAX_PAYLOAD);
        }
        long headerSize = 4L + 4L * rank;
        if (fileSize >= 0 && fileSize - headerSize < payload) {
            // Checked before allocating, so a corrupt header cannot ask for gigabytes.
            throw new IdxFormatException(path, "truncated: " + declared + " but the file has only "
                    + (fileSize - headerSize) + " after its " + headerSize + "-byte header");
        }
        // off the Java heap: the payload is often kept for a whole run (Fashion-MNIST's training images
        // are 47 MB), and a heap array of that size would stay touched in the heap after it dies
        ByteBuffer bytes = ByteBuffer.allocateDirect((int) payload);
        long arrived = readFully(in, bytes);
        if (arrived < payload) {
            throw new IdxFormatException(path, "truncated: " + declared + " but " + source + " has only " + arrived);
        }
        long extra = countRemaining(in);
        if (extra > 0) {
            throw new IdxFormatException(path, "too long: " + declared + " but " + source + " has " + extra
                    + " more bytes after them");
        }
        return new IdxArray(shape, typeCode, bytes.flip());
    }

    /** Reads up to {@code len} bytes; returns how many arrived before the end of the stream. */
    private static int readFully(InputStream in, byte[] buffer, int offset, int len) throws IOException {
        int total = 0;
        try {
            while (total < len) {
                int n = in.read(buffer, offset + total, len - total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (EOFException e) {
            // GZIPInputStream reports a cut-off compressed stream this way; the count says how much arrived.
        }
        return total;
    }

    /** Fills {@code out} from the stream (through a heap chunk); returns how many bytes arrived before its end. */
    private static long readFully(InputStream in, ByteBuffer out) throws IOException {
        byte[] chunk = new byte[BUFFER_SIZE];
        while (out.hasRemaining()) {
            int wanted = Math.min(chunk.length, out.remaining());
            int got = readFully(in, chunk, 0, wanted);
            out.put(chunk, 0, got);
            if (got < wanted) {
                break;
            }
        }
        return out.position();
    }

    private static long countRemaining(InputStream in) throws IOException {
        long extra = 0;
        byte[] sink = new byte[8192];
        try {
            int n;
            while ((n = in.read(sink)) >= 0) {
                extra += n;
            }
        } catch (EOFException e) {
            // trailing garbage that is itself a cut-off gzip member: count what arrived
        }
        return extra;
    }
}
