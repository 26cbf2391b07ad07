package io.structflow.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The safetensors format against its specification: bytes written by hand are read back, what we
 * write has the layout the spec fixes (header length, padding, alignment, contiguous offsets), and
 * every malformed file is refused with a message naming the tensor.
 */
class SafeTensorsTest {
    @TempDir
    Path tmp;

    /** A file assembled byte by byte from a header string and a buffer. */
    private Path handMade(String header, byte[] buffer) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + buffer.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(buffer);
        Path file = tmp.resolve("hand.safetensors");
        Files.write(file, b.array());
        return file;
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    @Test
    void read_handWrittenFile_givesTheSpecifiedValues() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(-2.5).putDouble(1e-300);
        byte[] buffer = new byte[16 + 24];
        System.arraycopy(d.array(), 0, buffer, 0, 16);
        System.arraycopy(floats(1, 2, 3, 4, 5, 6), 0, buffer, 16, 24);
        Path file = handMade("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[16,40]},"
                + "\"h\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}   ", buffer);
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(Map.of("format", "pt"), c.metadata());
        INDArray w = c.tensors().get("w");
        assertEquals(DataType.FLOAT, w.dataType());
        assertArrayEquals(new long[] {2, 3}, w.shape());
        assertEquals(6f, w.getFloat(1, 2));
        assertEquals(2f, w.getFloat(0, 1));
        assertArrayEquals(new double[] {-2.5, 1e-300}, c.tensors().get("h").toDoubleVector());
    }

    @Test
    void write_thenRead_roundTripsExactlyWithTheSpecsLayout() throws IOException {
        SplittableRandom rng = new SplittableRandom(1);
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("a.odd", Tensor.randn(DataType.FLOAT, rng, 3).value());
        t.put("b.kernel", Tensor.randn(DataType.DOUBLE, rng, 2, 1, 3, 3).value());
        t.put("c.count", Nd4j.createFromArray(7L, -3L));
        t.put("d.matrix", Tensor.randn(DataType.FLOAT, rng, 4, 5).value());
        Path file = tmp.resolve("w.safetensors");
        SafeTensors.write(file, t, Map.of("note", "x"));
        SafeTensors.Contents back = SafeTensors.read(file);
        assertEquals(t.keySet(), back.tensors().keySet());
        t.forEach((name, a) -> {
            INDArray b = back.tensors().get(name);
            assertEquals(a.dataType(), b.dataType(), name);
            assertArrayEquals(a.shape(), b.shape(), name);
            assertEquals(a, b, name);
        });
        assertEquals(Map.of("note", "x"), back.metadata());

        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "the buffer starts 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"), header);
        // 8-byte types first (by name), then float32: every tensor aligned to its element size
        assertTrue(header.indexOf("b.kernel") < header.indexOf("c.count")
                && header.indexOf("c.count") < header.indexOf("a.odd")
                && header.indexOf("a.odd") < header.indexOf("d.matrix"), header);
        assertTrue(header.contains("\"b.kernel\":{\"dtype\":\"F64\",\"shape\":[2,1,3,3],\"data_offsets\":[0,144]}"),
                header);
        assertTrue(header.contains("\"c.count\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[144,160]}"), header);
        assertEquals(8 + n + 144 + 16 + 12 + 80, bytes.length);
        double first = ByteBuffer.wrap(bytes, (int) (8 + n), 8).order(ByteOrder.LITTLE_ENDIAN).getDouble();
        assertEquals(t.get("b.kernel").getDouble(0, 0, 0, 0), first, "values little-endian, row-major");
    }

    private IOException refused(String header, byte[] buffer) throws IOException {
        Path file = handMade(header, buffer);
        return assertThrows(IOException.class, () -> SafeTensors.read(file));
    }

    private static void assertMentions(Exception e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), () -> "expected \"" + w + "\" in: " + e.getMessage());
        }
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    @Test
    void read_overlappingOffsets_namesBothTensors() throws IOException {
        IOException e = refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
        assertMentions(e, "\"b\"", "overlaps", "\"a\"", "begin at 8");
    }

    @Test
    void read_holeBetweenTensors_isRefused() throws IOException {
        IOException e = refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]);
        assertMentions(e, "\"b\"", "hole", "begin at 4");
    }

    @Test
    void read_offsetsPastTheEnd_areRefused() throws IOException {
        IOException e = refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        assertMentions(e, "\"a\"", "[0, 16]", "8-byte buffer", "past its end");
    }

    @Test
    void read_bytesLeftAfterTheLastTensor_areRefused() throws IOException {
        IOException e = refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8]);
        assertMentions(e, "fill the 8-byte buffer", "end at 4");
    }

    @Test
    void read_offsetsThatDisagreeWithShapeAndDtype_areRefused() throws IOException {
        IOException e = refused("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        assertMentions(e, "\"a\"", "expected 16 bytes", "F64[2]", "span 8");
    }

    @Test
    void read_unsupportedDtypeOrBadShape_areRefusedNamingTheTensor() throws IOException {
        assertMentions(refused("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]),
                "\"a\"", "F32, F64 or I64", "BF16");
        assertMentions(refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
                "\"a\"", "non-negative");
        assertMentions(refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]),
                "\"a\"", "begin ≤ end");
    }

    @Test
    void read_duplicateNamesOrBadMetadata_areRefused() throws IOException {
        assertMentions(refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "Duplicate", "a");
        assertMentions(refused("{\"__metadata__\":{\"epochs\":3}}", new byte[0]), "__metadata__", "epochs", "string");
    }

    @Test
    void read_truncatedFiles_areRefusedAtEveryCut() throws IOException {
        Path whole = tmp.resolve("whole.safetensors");
        SafeTensors.write(whole, Map.of("w", Nd4j.createFromArray(1f, 2f, 3f)), Map.of());
        byte[] bytes = Files.readAllBytes(whole);
        for (int cut = 0; cut < bytes.length; cut++) {
            Path file = tmp.resolve("cut" + cut);
            Files.write(file, Arrays.copyOf(bytes, cut));
            IOException e = assertThrows(IOException.class, () -> SafeTensors.read(file), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("safetensors " + file + ": "), e.getMessage());
        }
        assertEquals(3, SafeTensors.read(whole).tensors().get("w").length());
    }

    @Test
    void read_headerLengthBeyondTheFile_saysTruncated() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).put((byte) '{')
                .put((byte) '}');
        Path file = tmp.resolve("long");
        Files.write(file, b.array());
        assertMentions(assertThrows(IOException.class, () -> SafeTensors.read(file)), "header length",
                String.valueOf(1L << 40), "truncated");
    }

    @Test
    void read_missingFile_isNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> SafeTensors.read(tmp.resolve("absent")));
    }

    @Test
    void write_refusesUnsupportedTypesAndReservedNames() {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(tmp.resolve("x"),
                Map.of("i", Nd4j.createFromArray(1, 2)), Map.of())), "\"i\"", "INT");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(tmp.resolve("x"),
                Map.of("__metadata__", Nd4j.createFromArray(1f)), Map.of())), "__metadata__");
    }
}
