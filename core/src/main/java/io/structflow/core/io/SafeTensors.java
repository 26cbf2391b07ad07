package io.structflow.core.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.structflow.core.autodiff.Shapes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes the safetensors format (Hugging Face, <a
 * href="https://github.com/huggingface/safetensors">github.com/huggingface/safetensors</a>, the
 * "Format" section of its README), the common currency of PyTorch state dicts:
 * <pre>
 *   [8 bytes]  N, the header length, unsigned 64-bit little-endian
 *   [N bytes]  the header: a UTF-8 JSON object starting with '{', maybe padded with spaces (0x20);
 *              for each tensor name {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]},
 *              and optionally "__metadata__": a map of string to string
 *   [rest]     the byte buffer: every tensor's values, row-major, little-endian, at
 *              [begin, end) relative to the start of the buffer
 * </pre>
 * Element types: {@code F32}, {@code F64} and {@code I64} (the types structflow arrays hold);
 * any other is refused with its name.
 *
 * <p><b>Writing</b> follows the reference writer's alignment rules: the header is padded with
 * spaces so that the buffer starts at a multiple of 8 bytes, and tensors are laid out by
 * decreasing element size, then by name, so that every tensor starts at a multiple of its element
 * size. The file is written atomically ({@link AtomicFiles#write}).
 *
 * <p><b>Reading</b> treats the file as untrusted and checks, before any array is built: the header
 * length against the file size (and the spec's 100 MB cap), that the header is a JSON object
 * without duplicate keys, every entry's dtype, shape (non-negative dimensions) and offsets
 * ({@code end − begin} = elements × element size), that the tensors, sorted by offset, tile the
 * buffer exactly from 0 to its end (no overlap, no hole, nothing past the end) and that
 * {@code __metadata__} holds only strings. Every failure is an {@link IOException} of one line
 * naming the file, the tensor, what was expected and what was found.
 */
public final class SafeTensors {
    /** The header key that carries free-form string metadata. */
    public static final String METADATA_KEY = "__metadata__";
    /** Largest header accepted, as in the reference implementation (100 MB). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final int ALIGNMENT = 8;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * The tensors and metadata of one file.
     *
     * @param tensors  arrays by name in the file's offset order (c-ordered, owned by the caller)
     * @param metadata the {@code __metadata__} strings (empty when absent)
     */
    public record Contents(Map<String, INDArray> tensors, Map<String, String> metadata) {
        /** Copies both maps into unmodifiable ones (keeping their order). */
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** One of the element types this class reads and writes, with its safetensors name and size. */
    private enum Dtype {
        F64("F64", DataType.DOUBLE, 8),
        I64("I64", DataType.LONG, 8),
        F32("F32", DataType.FLOAT, 4);

        final String code;
        final DataType type;
        final int bytes;

        Dtype(String code, DataType type, int bytes) {
            this.code = code;
            this.type = type;
            this.bytes = bytes;
        }

        static Dtype of(DataType t) {
            for (Dtype d : values()) {
                if (d.type == t) {
                    return d;
                }
            }
            return null;
        }

        static Dtype named(String code) {
            for (Dtype d : values()) {
                if (d.code.equals(code)) {
                    return d;
                }
            }
            return null;
        }
    }

    private SafeTensors() {
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file} atomically (on failure the
     * previous file, if any, is left as it was).
     *
     * @param tensors  arrays by name (float32, float64 or int64; not mutated); names non-empty and
     *                 not {@value #METADATA_KEY}
     * @param metadata strings for {@code __metadata__} (written only when non-empty)
     * @throws IllegalArgumentException naming the tensor if its name or element type is not allowed
     * @throws IOException              if writing fails
     */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata)
            throws IOException {
        if (file == null || tensors == null || metadata == null) {
            throw new IllegalArgumentException("SafeTensors.write: file, tensors and metadata expected non-null but got "
                    + file + ", " + tensors + ", " + metadata);
        }
        List<String> names = new ArrayList<>(tensors.keySet());
        for (String name : names) {
            INDArray a = tensors.get(name);
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY) || a == null) {
                throw new IllegalArgumentException("SafeTensors.write: tensor names expected non-empty, not \""
                        + METADATA_KEY + "\", with an array but got \"" + name + "\" = " + a);
            }
            if (Dtype.of(a.dataType()) == null) {
                throw new IllegalArgumentException("SafeTensors.write: tensor \"" + name
                        + "\" expected element type FLOAT, DOUBLE or LONG but got " + a.dataType());
            }
        }
        names.sort(Comparator.comparingInt((String n) -> -Dtype.of(tensors.get(n).dataType()).bytes)
                .thenComparing(Comparator.naturalOrder()));
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (String name : names) {
            INDArray a = tensors.get(name);
            Dtype d = Dtype.of(a.dataType());
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", d.code);
            var shape = entry.putArray("shape");
            for (long s : a.shape()) {
                shape.add(s);
            }
            long end = offset + a.length() * d.bytes;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (int) ((8 + json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT - 8);
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(json);
            out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
            for (String name : names) {
                writeValues(out, tensors.get(name));
            }
        });
    }

    private static void writeValues(OutputStream out, INDArray a) throws IOException {
        INDArray c = a.dup('c');
        Dtype d = Dtype.of(c.dataType());
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(c.length() * d.bytes)).order(ByteOrder.LITTLE_ENDIAN);
        switch (d) {
            case F32 -> buf.asFloatBuffer().put(c.data().asFloat());
            case F64 -> buf.asDoubleBuffer().put(c.data().asDouble());
            case I64 -> buf.asLongBuffer().put(c.data().asLong());
            default -> throw new IllegalStateException("unreachable: " + d);
        }
        out.write(buf.array());
    }

    /**
     * Reads and checks a safetensors file (see the class documentation for every check).
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException of one line naming the file, the tensor, the expected and the found value
     *                     if the file is not a complete, consistent safetensors file of F32, F64 and
     *                     I64 tensors
     */
    public static Contents read(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("SafeTensors.read: file expected a path but got null");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "expected at least the 8-byte header length but the file has " + size + " bytes");
            }
            long n = readFully(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
                throw bad(file, "header length expected 2 to min(" + MAX_HEADER_BYTES + ", " + (size - 8)
                        + " bytes after the length) but got " + Long.toUnsignedString(n)
                        + (n > size - 8 ? " (the file is truncated?)" : ""));
            }
            byte[] headerBytes = new byte[(int) n];
            readFully(ch, 8, (int) n).get(headerBytes);
            Header header = parseHeader(file, headerBytes);
            long bufferSize = size - 8 - n;
            checkLayout(file, header.entries, bufferSize);
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            for (Entry e : header.entries) {
                ByteBuffer values = readFully(ch, 8 + n + e.begin, Math.toIntExact(e.end - e.begin));
                tensors.put(e.name, decode(values, e));
            }
            return new Contents(tensors, header.metadata);
        }
    }

    private record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {
    }

    private record Header(List<Entry> entries, Map<String, String> metadata) {
    }

    private static Header parseHeader(Path file, byte[] bytes) throws IOException {
        if (bytes[0] != '{') {
            throw bad(file, "header expected to start with '{' but starts with byte 0x"
                    + String.format("%02x", bytes[0] & 0xff));
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw bad(file, "header is not a valid JSON object (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "header expected a JSON object but got " + (root == null ? "nothing" : root.getNodeType()));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(METADATA_KEY)) {
                readMetadata(file, f.getValue(), metadata);
            } else {
                entries.add(entry(file, f.getKey(), f.getValue()));
            }
        }
        return new Header(entries, metadata);
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) throws IOException {
        if (!node.isObject()) {
            throw bad(file, METADATA_KEY + " expected an object of strings but got " + node.getNodeType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw bad(file, METADATA_KEY + " entry \"" + m.getKey() + "\" expected a string but got "
                        + m.getValue().getNodeType());
            }
            out.put(m.getKey(), m.getValue().asText());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node) throws IOException {
        String where = "tensor \"" + name + "\"";
        if (!node.isObject()) {
            throw bad(file, where + " expected an object {dtype, shape, data_offsets} but got " + node.getNodeType());
        }
        JsonNode dtypeNode = node.path("dtype");
        Dtype dtype = dtypeNode.isTextual() ? Dtype.named(dtypeNode.asText()) : null;
        if (dtype == null) {
            throw bad(file, where + " dtype expected F32, F64 or I64 but got " + dtypeNode);
        }
        JsonNode shapeNode = node.path("shape");
        if (!shapeNode.isArray()) {
            throw bad(file, where + " shape expected a list of dimensions but got " + shapeNode);
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw bad(file, where + " shape expected non-negative integers but got " + shapeNode);
            }
            shape[i] = d.asLong();
            count = shape[i] == 0 ? 0 : (count > Integer.MAX_VALUE / shape[i] ? Long.MAX_VALUE : count * shape[i]);
        }
        if (count > Integer.MAX_VALUE) {
            throw bad(file, where + " shape " + shapeNode + " expected at most " + Integer.MAX_VALUE + " elements");
        }
        JsonNode offsets = node.path("data_offsets");
        if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber()
                || !offsets.get(1).isIntegralNumber() || !offsets.get(0).canConvertToLong()
                || !offsets.get(1).canConvertToLong()) {
            throw bad(file, where + " data_offsets expected [begin, end] but got " + offsets);
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw bad(file, where + " data_offsets expected 0 ≤ begin ≤ end but got " + offsets);
        }
        if (end - begin != count * dtype.bytes) {
            throw bad(file, where + " data_offsets expected " + count * dtype.bytes + " bytes (" + dtype.code
                    + Shapes.str(shape) + ") but span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** The tensors, in offset order, must cover [0, bufferSize) exactly. */
    private static void checkLayout(Path file, List<Entry> entries, long bufferSize) throws IOException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry e : entries) {
            if (e.begin != expected) {
                String relation = e.begin < expected ? "overlaps" : "leaves a hole after";
                throw bad(file, "tensor \"" + e.name + "\" data_offsets expected to begin at " + expected + " but begin at "
                        + e.begin + " (it " + relation + " " + (previous == null ? "the buffer start" : "tensor \""
                        + previous + "\"") + ")");
            }
            if (e.end > bufferSize) {
                throw bad(file, "tensor \"" + e.name + "\" data_offsets [" + e.begin + ", " + e.end
                        + "] expected within the " + bufferSize + "-byte buffer but run past its end (the file is "
                        + "truncated?)");
            }
            expected = e.end;
            previous = e.name;
        }
        if (expected != bufferSize) {
            throw bad(file, "the tensors expected to fill the " + bufferSize + "-byte buffer but end at " + expected);
        }
    }

    private static INDArray decode(ByteBuffer values, Entry e) {
        int count = (int) (values.remaining() / e.dtype.bytes);
        return switch (e.dtype) {
            case F32 -> {
                float[] v = new float[count];
                values.asFloatBuffer().get(v);
                yield Nd4j.create(v, e.shape, 'c');
            }
            case F64 -> {
                double[] v = new double[count];
                values.asDoubleBuffer().get(v);
                yield Nd4j.create(v, e.shape, 'c');
            }
            case I64 -> {
                long[] v = new long[count];
                values.asLongBuffer().get(v);
                yield Nd4j.createFromArray(v).reshape('c', e.shape);
            }
        };
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        return buf.flip();
    }

    private static IOException bad(Path file, String what) {
        return new IOException("safetensors " + file + ": " + what);
    }
}
