package io.structflow.examples.pnp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.structflow.core.Backend;
import io.structflow.core.autodiff.Tensor;
import io.structflow.imaging.ImageIo;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** A directory of images as the data of the denoise and deblur commands (for example BSDS500). */
class ImageSetsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Backend.init();
    }

    private static Tensor randomImage(long seed, int h, int w) {
        // 8-bit levels, so that the PNG round trip is exact
        double[] v = new double[h * w];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(256) / 255.0;
        }
        return Tensor.of(DataType.DOUBLE, v, 1, 1, h, w);
    }

    @Test
    void directory_trainsOnTrainFolder_andTestsOnCentreCropsOfTestFolder() throws Exception {
        Files.createDirectories(dir.resolve("train"));
        Files.createDirectories(dir.resolve("test"));
        Tensor b = randomImage(2, 30, 40);
        ImageIo.writeGray(randomImage(1, 20, 24), dir.resolve("train/a.png"));
        ImageIo.writeGray(b, dir.resolve("train/b.png"));
        Files.writeString(dir.resolve("train/readme.txt"), "not an image");
        Tensor t = randomImage(3, 21, 26);
        ImageIo.writeGray(t, dir.resolve("test/t.png"));

        ImageSets sets = ImageSets.load(dir.toString(), 16, 1, DataType.DOUBLE);
        assertEquals(ImageSets.Source.DIRECTORY, sets.source());
        assertEquals(List.of("a.png", "b.png"), sets.trainNames());
        assertEquals(List.of("t.png"), sets.testNames());
        assertArrayEquals(b.toDoubleArray(), sets.train().get(1).toDoubleArray(), 0);
        // centre crop: rows (21 − 16)/2 = 2 …, columns (26 − 16)/2 = 5 …
        double[] all = t.toDoubleArray();
        double[] crop = sets.test().get(0).toDoubleArray();
        assertEquals(16 * 16, crop.length);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                assertEquals(all[(i + 2) * 26 + j + 5], crop[i * 16 + j], 0, "pixel " + i + "," + j);
            }
        }
        assertEquals(16, sets.testSide());
    }

    @Test
    void readSkimage_camera_whenInstalled() throws Exception {
        assumeTrue(Files.isRegularFile(ImageSets.SKIMAGE_DATA.resolve("camera.png")), "python3-skimage not installed");
        Tensor x = ImageSets.readSkimage("camera.png", DataType.DOUBLE);
        assertArrayEquals(new long[] {1, 1, 512, 512}, x.shape());
        double[] v = x.toDoubleArray();
        double min = 1;
        double max = 0;
        for (double p : v) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertTrue(min >= 0 && max <= 1 && max - min > 0.5, min + " … " + max);
    }

    @Test
    void readSkimage_missingImage_namesPathAndInstallHint() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> ImageSets.readSkimage("no-such-image.png", DataType.DOUBLE));
        assertTrue(e.getMessage().contains(ImageSets.SKIMAGE_DATA.resolve("no-such-image.png").toString())
                && e.getMessage().contains("apt-get install -y python3-skimage"), e.getMessage());
    }

    @Test
    void directory_withoutTestFolder_saysWhatLayoutIsExpected() throws Exception {
        Files.createDirectories(dir.resolve("train"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> ImageSets.load(dir.toString(), 16, 1, DataType.DOUBLE));
        assertTrue(e.getMessage().contains("train/ and test/ folders of PNG or JPEG images")
                && e.getMessage().contains(dir.toAbsolutePath() + " has no test/ folder"), e.getMessage());
        FileNotFoundException missing = assertThrows(FileNotFoundException.class,
                () -> ImageSets.load(dir.resolve("skimag").toString(), 16, 1, DataType.DOUBLE));
        assertTrue(missing.getMessage().contains("has no train/ folder"), missing.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> ImageSets.Source.parse(" "));
        assertEquals("--data: expected skimage, fmnist or a directory but got ' '", blank.getMessage());
    }
}
