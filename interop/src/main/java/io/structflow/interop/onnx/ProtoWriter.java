package io.structflow.interop.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One protocol-buffer message being written, field by field, with protobuf-java's
 * {@link CodedOutputStream} (wire format: <a href="https://protobuf.dev/programming-guides/encoding/">
 * protobuf.dev/programming-guides/encoding</a>). Nested messages are written to their own writer
 * first and embedded as length-delimited bytes. Repeated scalars are written unpacked, as the
 * proto2 declarations of {@code onnx.proto} say (parsers accept either form).
 */
final class ProtoWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    ProtoWriter int64(int field, long value) {
        return write(() -> out.writeInt64(field, value));
    }

    ProtoWriter int32(int field, int value) {
        return write(() -> out.writeInt32(field, value));
    }

    ProtoWriter float32(int field, float value) {
        return write(() -> out.writeFloat(field, value));
    }

    ProtoWriter string(int field, String value) {
        return write(() -> out.writeString(field, value));
    }

    ProtoWriter bytes(int field, byte[] value) {
        return write(() -> out.writeByteArray(field, value));
    }

    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    byte[] toByteArray() {
        write(out::flush);
        return bytes.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    /** Writing to memory cannot fail; an IOException here is a bug. */
    private ProtoWriter write(Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new UncheckedIOException("ProtoWriter: writing to memory failed", e);
        }
        return this;
    }
}
