package io.structflow.core.data;

import static io.structflow.core.data.IdxTestFiles.gzip;
import static io.structflow.core.data.IdxTestFiles.idx;
import static io.structflow.core.data.IdxTestFiles.ubyte;
import static io.structflow.core.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class IdxReaderTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void selectBackend() {
        Backend.init();
    }

    private static void assertMessageContains(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part),
                    "message should contain \"" + part + "\" but was: " + e.getMessage());
        }
    }

    @Test
    void read_plainUbyte_returnsShapeTypeAndValues() throws Exception {
        Path file = write(dir.resolve("plain.idx"), ubyte(new int[] {2, 3}, 0, 1, 2, 127, 128, 255));

        IdxArray array = IdxReader.read(file);

        assertArrayEquals(new int[] {2, 3}, array.shape());
        assertEquals(IdxArray.UNSIGNED_BYTE, array.typeCode());
        assertEquals(2, array.rank());
        assertEquals(6, array.length());
        assertArrayEquals(new int[] {0, 1, 2, 127, 128, 255}, array.toIntArray());
        assertEquals(255.0, array.getDouble(5));
    }

    @Test
    void read_gzipContent_isDetectedByMagicNotByName() throws Exception {
        byte[] plain = ubyte(new int[] {4}, 9, 8, 7, 6);
        Path gzipWithoutSuffix = write(dir.resolve("labels-no-suffix"), gzip(plain));
        Path plainWithGzSuffix = write(dir.resolve("labels.gz"), plain);

        assertArrayEquals(new int[] {9, 8, 7, 6}, IdxReader.read(gzipWithoutSuffix).toIntArray());
        assertArrayEquals(new int[] {9, 8, 7, 6}, IdxReader.read(plainWithGzSuffix).toIntArray());
        assertEquals(IdxReader.read(gzipWithoutSuffix), IdxReader.read(plainWithGzSuffix));
    }

    @Test
    void read_wideTypes_decodeBigEndian() throws Exception {
        ByteBuffer floats = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-2.25f);
        ByteBuffer doubles = ByteBuffer.allocate(8).putDouble(Math.PI);
        ByteBuffer ints = ByteBuffer.allocate(8).putInt(-70000).putInt(123456789);
        ByteBuffer shorts = ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 300);
        byte[] signed = {(byte) -1, (byte) 127};

        IdxArray f = IdxReader.read(write(dir.resolve("f"), gzip(idx(IdxArray.FLOAT, new int[] {1, 2}, floats.array()))));
        IdxArray d = IdxReader.read(write(dir.resolve("d"), idx(IdxArray.DOUBLE, new int[] {1}, doubles.array())));
        IdxArray i = IdxReader.read(write(dir.resolve("i"), idx(IdxArray.INT, new int[] {2}, ints.array())));
        IdxArray s = IdxReader.read(write(dir.resolve("s"), idx(IdxArray.SHORT, new int[] {2}, shorts.array())));
        IdxArray b = IdxReader.read(write(dir.resolve("b"), idx(IdxArray.SIGNED_BYTE, new int[] {2}, signed)));

        assertArrayEquals(new float[] {1.5f, -2.25f}, f.toFloatArray());
        assertArrayEquals(new int[] {1, 2}, f.shape());
        assertArrayEquals(new double[] {Math.PI}, d.toDoubleArray());
        assertArrayEquals(new int[] {-70000, 123456789}, i.toIntArray());
        assertArrayEquals(new int[] {-300, 300}, s.toIntArray());
        assertArrayEquals(new int[] {-1, 127}, b.toIntArray());
    }

    @Test
    void read_emptyArray_hasZeroLength() throws Exception {
        IdxArray array = IdxReader.read(write(dir.resolve("empty"), ubyte(new int[] {0, 28, 28})));

        assertArrayEquals(new int[] {0, 28, 28}, array.shape());
        assertEquals(0, array.length());
    }

    @Test
    void read_truncatedPlainFile_givesDeclaredAndActualSize() throws Exception {
        byte[] full = ubyte(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        Path file = write(dir.resolve("short.idx"), Arrays.copyOf(full, full.length - 2));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertMessageContains(e, file.toString(), "truncated", "[2, 3]", "6 data bytes", "only 4");
        assertEquals(file, e.path());
    }

    @Test
    void read_truncatedHeader_saysSo() throws Exception {
        byte[] full = ubyte(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        Path file = write(dir.resolve("header.idx"), Arrays.copyOf(full, 9));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertMessageContains(e, file.toString(), "truncated", "rank 2", "8 bytes of dimensions", "only 5");
    }

    @Test
    void read_gzipOfTruncatedContent_givesDeclaredAndActualSize() throws Exception {
        byte[] full = ubyte(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        Path file = write(dir.resolve("short.idx.gz"), gzip(Arrays.copyOf(full, full.length - 1)));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertMessageContains(e, file.toString(), "truncated", "6 data bytes", "decompressed stream has only 5");
    }

    @Test
    void read_cutOffGzipStream_isReportedAsTruncated() throws Exception {
        int n = 4096;
        int[] values = new int[n];
        java.util.Random random = new java.util.Random(7);
        for (int k = 0; k < n; k++) {
            values[k] = random.nextInt(256);
        }
        byte[] compressed = gzip(ubyte(new int[] {n}, values));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(compressed, compressed.length / 2));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertMessageContains(e, file.toString(), "truncated", n + " data bytes", "only");
    }

    @Test
    void read_trailingBytes_areRejected() throws Exception {
        byte[] full = ubyte(new int[] {2}, 1, 2);
        Path file = write(dir.resolve("long.idx"), Arrays.copyOf(full, full.length + 3));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertMessageContains(e, file.toString(), "too long", "2 data bytes", "3 more bytes");
    }

    @Test
    void read_badMagic_namesFileAndBytes() throws Exception {
        Path file = write(dir.resolve("zip.idx"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertMessageContains(e, file.toString(), "bad magic number", "0x504B0304", "0x0000TTRR");
    }

    @Test
    void read_unsupportedTypeCode_listsSupportedCodes() throws Exception {
        Path file = write(dir.resolve("type.idx"), idx((byte) 0x0A, new int[] {1}, new byte[] {0}));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertMessageContains(e, file.toString(), "unsupported element type code 0x0A", "0x08 (ubyte)", "0x0D (float)");
    }

    @Test
    void read_missingFile_namesPathAndHowToInstall() {
        Path file = dir.resolve("train-images-idx3-ubyte.gz");

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxReader.read(file));

        assertMessageContains(e, file.toString(), "apt-get install -y dataset-fashion-mnist",
                "/usr/share/datasets/fashion-mnist/");
    }

    @Test
    void readImages_rank3Ubyte_givesNchwFloatScaledToUnitInterval() throws Exception {
        Path file = write(dir.resolve("images"), gzip(ubyte(new int[] {2, 2, 3},
                0, 51, 102, 153, 204, 255,
                255, 0, 0, 0, 0, 1)));

        INDArray images = IdxReader.readImages(file, DataType.FLOAT);

        assertArrayEquals(new long[] {2, 1, 2, 3}, images.shape());
        assertEquals(DataType.FLOAT, images.dataType());
        assertEquals(0.2f, images.getFloat(0, 0, 0, 1), 1e-7f);
        assertEquals(0.6f, images.getFloat(0, 0, 1, 0), 1e-7f);
        assertEquals(1.0f, images.getFloat(0, 0, 1, 2), 0f);
        assertEquals(1.0f, images.getFloat(1, 0, 0, 0), 0f);
        assertEquals(1.0f / 255, images.getFloat(1, 0, 1, 2), 1e-9f);
        assertEquals(0.0f, images.minNumber().floatValue(), 0f);
    }

    @Test
    void readImages_everyPixelValue_scaledExactly() throws Exception {
        int[] dims = {3, 200, 200};
        int[] pixels = new int[3 * 200 * 200];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (int) ((i * 2654435761L) >>> 7) & 0xFF;
        }
        Path file = write(dir.resolve("images"), ubyte(dims, pixels));

        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray images = IdxReader.readImages(file, type);
            assertArrayEquals(new long[] {3, 1, 200, 200}, images.shape());
            double[] read = images.data().asDouble();
            for (int i = 0; i < pixels.length; i++) {
                double expected = type == DataType.FLOAT ? pixels[i] / 255.0f : pixels[i] / 255.0;
                assertEquals(expected, read[i], 0.0, type + " pixel " + i);
            }
        }
    }

    @Test
    void readImages_double_keepsFullPrecision() throws Exception {
        Path file = write(dir.resolve("images"), ubyte(new int[] {1, 1, 1, 2}, 1, 254));

        INDArray images = IdxReader.readImages(file, DataType.DOUBLE);

        assertArrayEquals(new long[] {1, 1, 1, 2}, images.shape());
        assertEquals(DataType.DOUBLE, images.dataType());
        assertEquals(1.0 / 255, images.getDouble(0, 0, 0, 0), 0.0);
        assertEquals(254.0 / 255, images.getDouble(0, 0, 0, 1), 0.0);
    }

    @Test
    void readImages_integerDataType_isRejected() throws Exception {
        Path file = write(dir.resolve("images"), ubyte(new int[] {1, 1, 1}, 5));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.readImages(file, DataType.INT32));

        assertMessageContains(e, "dataType", "floating-point", "but got INT", file.toString());
    }

    @Test
    void readImages_wrongRank_isRejected() throws Exception {
        Path file = write(dir.resolve("labels"), ubyte(new int[] {3}, 1, 2, 3));

        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.readImages(file, DataType.FLOAT));

        assertMessageContains(e, file.toString(), "[N, H, W]", "[3]");
    }

    @Test
    void readLabels_ubyteVector_givesInts() throws Exception {
        Path file = write(dir.resolve("labels"), gzip(ubyte(new int[] {5}, 9, 0, 3, 3, 200)));

        assertArrayEquals(new int[] {9, 0, 3, 3, 200}, IdxReader.readLabels(file));
    }

    @Test
    void readLabels_matrix_isRejected() throws Exception {
        Path file = write(dir.resolve("labels"), ubyte(new int[] {1, 2}, 1, 2));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(file));

        assertMessageContains(e, file.toString(), "labels expected shape [N]", "[1, 2]");
    }
    @Test
    void read_randomBytes_isRejectedNamingTheFile() throws Exception {
        byte[] noise = new byte[1000];
        new java.util.Random(3).nextBytes(noise);
        noise[0] = 0x13; // not the two zero bytes an IDX magic number starts with
        Path file = write(dir.resolve("noise.idx"), noise);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertMessageContains(e, file.toString(), "bad magic number");
    }

    @Test
    void read_emptyFile_isTruncated() throws Exception {
        Path file = write(dir.resolve("empty.idx"), new byte[0]);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertMessageContains(e, file.toString(), "truncated", "4-byte IDX magic number");
    }
    @Test
    void read_directory_isRejectedNamingIt() {
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(dir));

        assertMessageContains(e, dir.toString(), "expected an IDX file but got a directory");
    }
}
