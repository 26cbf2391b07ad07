package io.structflow.core.data;

import static io.structflow.core.data.IdxTestFiles.gzip;
import static io.structflow.core.data.IdxTestFiles.ubyte;
import static io.structflow.core.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.structflow.core.Backend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class FashionMnistTest {

    private static final int PIXELS = 28 * 28;

    @TempDir
    Path dir;

    @BeforeAll
    static void selectBackend() {
        Backend.init();
    }

    /** n images whose pixel k of image i is (i + k) mod 256. */
    private static byte[] images(int n) {
        int[] values = new int[n * PIXELS];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < PIXELS; k++) {
                values[i * PIXELS + k] = (i + k) % 256;
            }
        }
        return ubyte(new int[] {n, 28, 28}, values);
    }

    /** Three training and two test images; train files gzipped, test files plain. */
    private void writeSmallDataSet() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(3)));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(ubyte(new int[] {3}, 9, 0, 4)));
        write(dir.resolve("t10k-images-idx3-ubyte"), images(2));
        write(dir.resolve("t10k-labels-idx1-ubyte"), ubyte(new int[] {2}, 1, 8));
    }

    @Test
    void load_gzAndPlainFiles_givesImagesAndLabels() throws Exception {
        writeSmallDataSet();

        FashionMnist data = FashionMnist.load(dir);

        assertArrayEquals(new long[] {3, 1, 28, 28}, data.trainImages().shape());
        assertArrayEquals(new long[] {2, 1, 28, 28}, data.testImages().shape());
        assertArrayEquals(new int[] {9, 0, 4}, data.trainLabels());
        assertArrayEquals(new int[] {1, 8}, data.testLabels());
        INDArray train = data.trainingSet(0, DataType.FLOAT).features();
        assertEquals(DataType.FLOAT, train.dataType());
        // image 2, pixel (row 1, column 3) = index 31: value (2 + 31) / 255
        assertEquals(33f / 255, train.getFloat(2, 0, 1, 3), 1e-7f);
        assertEquals(1f, data.testSet(2, DataType.FLOAT).features().getFloat(1, 0, 9, 2), 0f); // (1 + 254) / 255
    }

    @Test
    void sets_holdTheFloatReadersValues_forBothTypes() throws Exception {
        writeSmallDataSet();
        FashionMnist data = FashionMnist.load(dir);
        // what the data sets held when the images were loaded as float32 arrays
        INDArray train = IdxReader.readImages(dir.resolve("train-images-idx3-ubyte.gz"), DataType.FLOAT);
        INDArray test = IdxReader.readImages(dir.resolve("t10k-images-idx3-ubyte"), DataType.FLOAT);

        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Dataset first2 = data.trainingSet(2, type);
            assertEquals(type, first2.batch(new int[] {1, 0}).x().value().dataType());
            assertArrayEquals(train.castTo(DataType.DOUBLE).data().asDouble(),
                    data.trainingSet(0, type).features().castTo(DataType.DOUBLE).data().asDouble(), type + " training set");
            assertArrayEquals(train.slice(1).castTo(DataType.DOUBLE).dup().data().asDouble(),
                    first2.batch(new int[] {1}).x().value().castTo(DataType.DOUBLE).data().asDouble(), type + " batch");
            assertArrayEquals(test.slice(1).castTo(DataType.DOUBLE).dup().data().asDouble(),
                    data.testSet(2, type).batch(new int[] {1}).x().value().castTo(DataType.DOUBLE).data().asDouble(),
                    type + " test image");
        }
        assertEquals(2, data.trainingSet(2, DataType.FLOAT).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> data.testSet(3, DataType.FLOAT));
        assertTrue(e.getMessage().contains("n expected 1..2 but got 3"), e.getMessage());
    }

    @Test
    void load_missingDirectory_namesPathAndHowToInstall() {
        Path missing = dir.resolve("nowhere");

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(missing));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install -y dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("/usr/share/datasets/fashion-mnist"), e.getMessage());
    }

    @Test
    void load_missingFile_namesThatFileAndHowToInstall() throws Exception {
        writeSmallDataSet();
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().contains(dir.resolve("t10k-labels-idx1-ubyte").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(".gz"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install -y dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void load_fewerLabelsThanImages_isRejected() throws Exception {
        writeSmallDataSet();
        write(dir.resolve("t10k-labels-idx1-ubyte"), ubyte(new int[] {1}, 3));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().contains("one label per image"), e.getMessage());
        assertTrue(e.getMessage().contains("(2) but got 1"), e.getMessage());
    }

    @Test
    void load_labelOutOfRange_isRejected() throws Exception {
        writeSmallDataSet();
        write(dir.resolve("t10k-labels-idx1-ubyte"), ubyte(new int[] {2}, 3, 10));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().contains("expected in 0..9 but label 1 is 10"), e.getMessage());
    }

    @Test
    void load_wrongImageSize_isRejected() throws Exception {
        writeSmallDataSet();
        write(dir.resolve("t10k-images-idx3-ubyte"), ubyte(new int[] {2, 1, 2}, 1, 2, 3, 4));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().contains("[N, 28, 28]"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 1, 1, 2]"), e.getMessage());
    }

    @Test
    void load_truncatedTestImages_isRejectedAtLoad() throws Exception {
        writeSmallDataSet();
        byte[] whole = images(2);
        write(dir.resolve("t10k-images-idx3-ubyte"), Arrays.copyOf(whole, whole.length - 1));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void defaultDirectory_isDebianPackageLocation() {
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), FashionMnist.defaultDirectory());
    }

    /** Runs only where Debian's dataset-fashion-mnist is installed (CI installs it). */
    @Test
    void load_installedDataSet_hasStandardSizesAndBalancedClasses() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnist.defaultDirectory()), "dataset-fashion-mnist not installed");

        FashionMnist data = FashionMnist.load();

        assertArrayEquals(new long[] {60_000, 1, 28, 28}, data.trainImages().shape());
        assertArrayEquals(new long[] {10_000, 1, 28, 28}, data.testImages().shape());
        int[] trainCounts = new int[10];
        for (int label : data.trainLabels()) {
            trainCounts[label]++;
        }
        int[] testCounts = new int[10];
        for (int label : data.testLabels()) {
            testCounts[label]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(6_000, trainCounts[c], "training images of class " + c);
            assertEquals(1_000, testCounts[c], "test images of class " + c);
        }
        ByteBuffer bytes = data.trainImages().bytes();
        int min = 255;
        int max = 0;
        while (bytes.hasRemaining()) {
            int v = bytes.get() & 0xFF;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0, min, "darkest pixel");
        assertEquals(255, max, "brightest pixel");
    }
}
