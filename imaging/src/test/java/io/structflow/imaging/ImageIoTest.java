package io.structflow.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class ImageIoTest {
    private static final DataType D = DataType.DOUBLE;

    @TempDir
    Path dir;

    @Test
    void writeThenRead_grayPng_roundTripsEightBitValues() throws Exception {
        double[] v = new double[6 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 8) / 255.0;
        }
        Tensor image = Tensor.of(D, v, 1, 1, 6, 5);
        Path file = dir.resolve("sub/a.png");
        ImageIo.writeGray(image, file);
        Tensor back = ImageIo.readGray(file);
        assertArrayEquals(new long[] {1, 1, 6, 5}, back.shape());
        assertArrayEquals(v, back.toDoubleArray(), 1e-12);
        assertEquals(DataType.FLOAT, ImageIo.readGray(file, DataType.FLOAT).dtype());
    }

    @Test
    void readGray_colourAndSixteenBit_convertByLuminanceAndFullPrecision() throws Exception {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, (200 << 16) | (100 << 8) | 50);
        rgb.setRGB(1, 0, 0xffffff);
        ImageIO.write(rgb, "png", dir.resolve("c.png").toFile());
        double[] gray = ImageIo.readGray(dir.resolve("c.png")).toDoubleArray();
        assertEquals((0.2125 * 200 + 0.7154 * 100 + 0.0721 * 50) / 255, gray[0], 1e-12);
        assertEquals(1, gray[1], 1e-12);

        BufferedImage deep = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 1);
        deep.getRaster().setSample(1, 0, 0, 40000);
        deep.getRaster().setSample(2, 0, 0, 65535);
        ImageIO.write(deep, "png", dir.resolve("d.png").toFile());
        assertArrayEquals(new double[] {1 / 65535.0, 40000 / 65535.0, 1}, ImageIo.readGray(dir.resolve("d.png")).toDoubleArray(), 1e-15);
    }

    @Test
    void missingPaths_messagesNameThePath() throws Exception {
        Path missing = dir.resolve("nope");
        FileNotFoundException d = assertThrows(FileNotFoundException.class, () -> ImageIo.readGrayDirectory(missing, D));
        assertTrue(d.getMessage().contains(missing.toString()) && d.getMessage().contains("expected an existing directory"),
                d.getMessage());
        FileNotFoundException f = assertThrows(FileNotFoundException.class, () -> ImageIo.readGray(missing.resolve("camera.png")));
        assertTrue(f.getMessage().contains("camera.png") && f.getMessage().contains("expected an existing image file"),
                f.getMessage());
        Files.createDirectories(missing);
        FileNotFoundException empty = assertThrows(FileNotFoundException.class, () -> ImageIo.readGrayDirectory(missing, D));
        assertTrue(empty.getMessage().contains("expected a PNG or JPEG file"), empty.getMessage());
    }

    @Test
    void imageFiles_listsPngAndJpegByName_andJpegReadsAsGray() throws Exception {
        Path folder = dir.resolve("mixed");
        Files.createDirectories(folder.resolve("sub.png"));
        BufferedImage flat = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 16; j++) {
                flat.getRaster().setSample(j, i, 0, 100);
            }
        }
        ImageIO.write(flat, "png", folder.resolve("a.png").toFile());
        ImageIO.write(flat, "jpg", folder.resolve("b.JPG").toFile());
        ImageIO.write(flat, "jpg", folder.resolve("c.jpeg").toFile());
        Files.writeString(folder.resolve("d.txt"), "ignored");
        List<Path> files = ImageIo.imageFiles(folder);
        assertEquals(List.of("a.png", "b.JPG", "c.jpeg"), files.stream().map(f -> f.getFileName().toString()).toList());
        List<Tensor> images = ImageIo.readGrayDirectory(folder, D);
        assertEquals(3, images.size());
        for (Tensor im : images) {
            assertArrayEquals(new long[] {1, 1, 8, 16}, im.shape());
            for (double v : im.toDoubleArray()) {
                // a flat image survives JPEG up to rounding of the 8-bit level
                assertEquals(100 / 255.0, v, 1.5 / 255, "gray level");
            }
        }
    }

    @Test
    void readGrayDirectory_andRandomPatches_seededAndCutFromTheImages() throws Exception {
        Tensor a = TestImages.piecewiseConstant(20);
        Tensor b = ImageIo.addGaussianNoise(TestImages.piecewiseConstant(24), 0.0, 1).mul(0.5);
        ImageIo.writeGray(a, dir.resolve("1.png"));
        ImageIo.writeGray(b, dir.resolve("2.png"));
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        List<Tensor> images = ImageIo.readGrayDirectory(dir, D);
        assertEquals(2, images.size());
        assertEquals(24, images.get(1).size(2));
        Tensor p = ImageIo.randomPatches(images, 30, 8, 99);
        assertArrayEquals(new long[] {30, 1, 8, 8}, p.shape());
        assertArrayEquals(p.toDoubleArray(), ImageIo.randomPatches(images, 30, 8, 99).toDoubleArray(), 0);
        // every patch occurs in one of the images
        double[] patches = p.toDoubleArray();
        for (int c = 0; c < 30; c++) {
            boolean found = false;
            for (Tensor im : images) {
                int h = (int) im.size(2);
                int w = (int) im.size(3);
                double[] src = im.toDoubleArray();
                for (int top = 0; top + 8 <= h && !found; top++) {
                    for (int left = 0; left + 8 <= w && !found; left++) {
                        boolean same = true;
                        for (int i = 0; i < 8 && same; i++) {
                            for (int j = 0; j < 8 && same; j++) {
                                same = src[(top + i) * w + left + j] == patches[(c * 8 + i) * 8 + j];
                            }
                        }
                        found = same;
                    }
                }
            }
            assertTrue(found, "patch " + c);
        }
        assertThrows(IllegalArgumentException.class, () -> ImageIo.randomPatches(images, 1, 21, 0));
    }

    @Test
    void addGaussianNoise_seeded_hasTheRequestedStandardDeviation() {
        Tensor zero = Tensor.zeros(D, 1, 1, 100, 100);
        Tensor n = ImageIo.addGaussianNoise(zero, 0.2, 7);
        double[] v = n.toDoubleArray();
        double mean = 0;
        double sq = 0;
        for (double x : v) {
            mean += x;
            sq += x * x;
        }
        mean /= v.length;
        double std = Math.sqrt(sq / v.length - mean * mean);
        assertEquals(0, mean, 0.01);
        assertEquals(0.2, std, 0.006);
        assertArrayEquals(v, ImageIo.addGaussianNoise(zero, 0.2, 7).toDoubleArray(), 0);
    }

    @Test
    void writeStrip_sideBySideWithGap() throws Exception {
        Tensor a = Tensor.zeros(D, 1, 1, 4, 3);
        Tensor b = Tensor.ones(D, 1, 1, 6, 2).mul(0.5);
        Path file = dir.resolve("strip.png");
        ImageIo.writeStrip(List.of(a, b), file, 2);
        Tensor s = ImageIo.readGray(file);
        assertArrayEquals(new long[] {1, 1, 6, 7}, s.shape());
        double[] v = s.toDoubleArray();
        assertEquals(0, v[0], 0);
        assertEquals(1, v[3], 0, "gap is white");
        assertEquals(128 / 255.0, v[5], 1e-12);
        assertEquals(1, v[5 * 7], 0, "below a shorter image is white");
    }

    @Test
    void readGrayDirectory_nonImagesAndDamagedImages_areOneLineNamingTheFile() throws Exception {
        Path text = Files.createDirectories(dir.resolve("text"));
        Path notes = Files.writeString(text.resolve("notes.png"), "not a picture");
        java.io.IOException t = assertThrows(java.io.IOException.class, () -> ImageIo.readGrayDirectory(text, D));
        assertEquals("ImageIo.readGray: " + notes.toAbsolutePath() + " is not an image format javax.imageio can read",
                t.getMessage());

        Path cut = Files.createDirectories(dir.resolve("cut"));
        ImageIo.writeGray(Tensor.of(D, new double[64 * 64], 1, 1, 64, 64).add(0.5), cut.resolve("half.png"));
        byte[] png = Files.readAllBytes(cut.resolve("half.png"));
        Files.write(cut.resolve("half.png"), java.util.Arrays.copyOf(png, png.length / 2));
        java.io.IOException c = assertThrows(java.io.IOException.class, () -> ImageIo.readGrayDirectory(cut, D));
        assertTrue(c.getMessage().startsWith("ImageIo.readGray: " + cut.resolve("half.png").toAbsolutePath())
                && !c.getMessage().contains("\n"), c.getMessage());

        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("readme.txt"), "images elsewhere");
        FileNotFoundException none = assertThrows(FileNotFoundException.class, () -> ImageIo.readGrayDirectory(other, D));
        assertTrue(none.getMessage().startsWith("ImageIo.imageFiles: directory expected a PNG or JPEG file but got none in "
                + other.toAbsolutePath()),
                none.getMessage());
    }
}
