package io.structflow.core.data;

import static io.structflow.core.data.IdxTestFiles.gzip;
import static io.structflow.core.data.IdxTestFiles.ubyte;
import static io.structflow.core.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Images held as IDX bytes: pixel values against their definition and against the float reader, views, bad input. */
class UnsignedByteImagesTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void selectBackend() {
        Backend.init();
    }

    /** n images of 4×4 pixels; pixel k of image i is a hash of (i, k), so every byte value occurs. */
    private static int[] hashedPixels(int n) {
        int[] pixels = new int[n * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (int) ((i * 2654435761L) >>> 7) & 0xFF;
        }
        return pixels;
    }

    private Path hashedFile(int n) throws Exception {
        return write(dir.resolve("images-" + n + ".gz"), gzip(ubyte(new int[] {n, 4, 4}, hashedPixels(n))));
    }

    /** Same type, shape and every value bit for bit. */
    private static void assertSameValues(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertArrayEquals(expected.dup('c').data().asDouble(), actual.dup('c').data().asDouble(), what);
    }

    @Test
    void toArray_everyByte_isTheFloatNearestToVOver255_widenedForDouble() throws Exception {
        int[] pixels = hashedPixels(64);
        assertEquals(256, Arrays.stream(pixels).distinct().count(), "every byte value occurs");
        UnsignedByteImages images = UnsignedByteImages.read(hashedFile(64));

        float[] floats = images.toArray(DataType.FLOAT).data().asFloat();
        double[] doubles = images.toArray(DataType.DOUBLE).data().asDouble();

        assertEquals(pixels.length, floats.length);
        for (int i = 0; i < pixels.length; i++) {
            float nearest = (float) (pixels[i] / 255.0);
            assertEquals(Float.floatToIntBits(nearest), Float.floatToIntBits(floats[i]), "float pixel " + i);
            assertEquals(Float.floatToIntBits(pixels[i] / 255f), Float.floatToIntBits(floats[i]), "float pixel " + i);
            assertEquals(Double.doubleToLongBits(nearest), Double.doubleToLongBits(doubles[i]), "double pixel " + i);
        }
    }

    @Test
    void toArray_ofIndices_equalsTheFloatReadersRowsExactly() throws Exception {
        Path file = hashedFile(64);
        UnsignedByteImages images = UnsignedByteImages.read(file);
        INDArray read = IdxReader.readImages(file, DataType.FLOAT);
        int[] indices = {63, 0, 17, 17, 5};

        INDArray batch = images.toArray(indices, DataType.FLOAT);

        assertArrayEquals(new long[] {5, 1, 4, 4}, batch.shape());
        for (int r = 0; r < indices.length; r++) {
            assertArrayEquals(read.slice(indices[r]).dup().data().asFloat(), batch.slice(r).dup().data().asFloat(),
                    "row " + r + " = image " + indices[r]);
        }
        // float64: the float32 reader's values widened (what a float64 Fashion-MNIST set always held)
        assertSameValues(read.castTo(DataType.DOUBLE), images.toArray(DataType.DOUBLE), "float64 images");
    }

    @Test
    void firstAndSelect_keepTheBytesOfTheirImages() throws Exception {
        int[] pixels = hashedPixels(10);
        UnsignedByteImages images = UnsignedByteImages.read(hashedFile(10));

        UnsignedByteImages first = images.first(3);
        UnsignedByteImages picked = images.select(new int[] {9, 2, 9});

        assertArrayEquals(new long[] {3, 1, 4, 4}, first.shape());
        assertArrayEquals(new long[] {3, 1, 4, 4}, picked.shape());
        ByteBuffer f = first.bytes();
        ByteBuffer p = picked.bytes();
        assertEquals(48, f.remaining());
        assertEquals(48, p.remaining());
        int[] order = {9, 2, 9};
        for (int k = 0; k < 48; k++) {
            assertEquals(pixels[k], f.get(k) & 0xFF, "first, byte " + k);
            assertEquals(pixels[order[k / 16] * 16 + k % 16], p.get(k) & 0xFF, "select, byte " + k);
        }
        assertEquals(0, images.first(0).count());
    }

    @Test
    void rank4File_keepsItsChannels() throws Exception {
        Path file = write(dir.resolve("rgb"), ubyte(new int[] {1, 3, 1, 2}, 0, 51, 102, 153, 204, 255));

        UnsignedByteImages images = UnsignedByteImages.read(file);

        assertArrayEquals(new long[] {1, 3, 1, 2}, images.shape());
        assertEquals(0.6f, images.toArray(DataType.FLOAT).getFloat(0, 1, 0, 1), 0f);
    }

    @Test
    void dataset_ofBytes_givesTheBatchesOfItsFloatArray() throws Exception {
        UnsignedByteImages images = UnsignedByteImages.read(hashedFile(50));
        int[] labels = new int[50];
        Arrays.setAll(labels, i -> i % 7);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Dataset bytes = Dataset.classification("bytes", images, type, labels);
            Dataset dense = Dataset.classification("dense", images.toArray(type), labels);
            assertSameValues(dense.features(), bytes.features(), type + " features");
            Iterator<Batch> a = DataLoader.shuffled(bytes, 16, 5).epoch(3, 0);
            Iterator<Batch> b = DataLoader.shuffled(dense, 16, 5).epoch(3, 0);
            while (b.hasNext()) {
                Batch x = a.next();
                Batch y = b.next();
                assertSameValues(y.x().value(), x.x().value(), type + " batch");
                assertEquals(type, x.x().value().dataType());
                assertArrayEquals(y.labels(), x.labels());
            }
            int[] some = new SplittableRandom(1).ints(20, 0, 50).toArray();
            assertSameValues(dense.subset("d", some).features(), bytes.subset("b", some).features(), type + " subset");
        }
    }

    @Test
    void badInput_isRejectedNamingTheArgument() throws Exception {
        UnsignedByteImages images = UnsignedByteImages.read(hashedFile(4));

        IllegalArgumentException index = assertThrows(IllegalArgumentException.class,
                () -> images.toArray(new int[] {0, 4}, DataType.FLOAT));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> images.toArray(DataType.INT32));
        IllegalArgumentException first = assertThrows(IllegalArgumentException.class, () -> images.first(5));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("empty", images.first(0), DataType.FLOAT, new int[0]));
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("short", images, DataType.FLOAT, new int[3]));

        assertTrue(index.getMessage().contains("indices[1] expected in [0, 4) but got 4"), index.getMessage());
        assertTrue(type.getMessage().contains("type expected FLOAT or DOUBLE but got INT"), type.getMessage());
        assertTrue(first.getMessage().contains("n expected 0..4 but got 5"), first.getMessage());
        assertTrue(none.getMessage().contains("expected at least one example"), none.getMessage());
        assertTrue(labels.getMessage().contains("labels expected 4 entries"), labels.getMessage());
    }

    @Test
    void read_notImages_isRejectedAsTheFloatReaderDoes() throws Exception {
        Path rank1 = write(dir.resolve("labels"), ubyte(new int[] {3}, 1, 2, 3));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> UnsignedByteImages.read(rank1));
        IdxFormatException r = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(rank1, DataType.FLOAT));

        assertEquals(r.getMessage(), e.getMessage());
        assertTrue(e.getMessage().contains("[N, H, W]") && e.getMessage().contains("[3]"), e.getMessage());
    }
}
