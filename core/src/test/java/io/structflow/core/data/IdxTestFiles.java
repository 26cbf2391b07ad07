package io.structflow.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files byte by byte for the data tests. */
final class IdxTestFiles {

    private IdxTestFiles() {
    }

    /** Header (magic + big-endian dims) followed by the given payload bytes. */
    static byte[] idx(byte typeCode, int[] dims, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        buffer.put((byte) 0).put((byte) 0).put(typeCode).put((byte) dims.length);
        for (int d : dims) {
            buffer.putInt(d);
        }
        buffer.put(payload);
        return buffer.array();
    }

    /** An unsigned-byte IDX file whose elements are the given values (each 0..255). */
    static byte[] ubyte(int[] dims, int... values) {
        byte[] payload = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            payload[i] = (byte) values[i];
        }
        return idx(IdxArray.UNSIGNED_BYTE, dims, payload);
    }

    static byte[] gzip(byte[] content) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                out.write(content);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        return file;
    }
}
