package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Images for the inverse-problem experiments ([M-slides], plug-and-play): reading PNG files as
 * grayscale tensors {@code [1, 1, H, W]} with values in [0, 1], random patches for training
 * denoisers, additive Gaussian noise {@code y = x + σ·n, n ~ N(0, I)}, and writing PNG files
 * (single images or a side-by-side strip). Colour images become gray by the ITU-R BT.709 luminance
 * {@code 0.2125·R + 0.7154·G + 0.0721·B} of their 8-bit sRGB values (as scikit-image's
 * {@code rgb2gray}); gray PNGs of 8 or 16 bits are read at full precision. Uses
 * {@link javax.imageio.ImageIO}. Paths are the caller's: the library knows no data directory.
 */
public final class ImageIo {
    private ImageIo() {
    }

    /**
     * Reads one image as gray {@code [1, 1, H, W]} in [0, 1].
     *
     * @param file a PNG (or any format {@link ImageIO} reads)
     * @param type float32 or float64
     * @throws FileNotFoundException naming the path if the file is missing
     * @throws IOException           naming the file if it cannot be decoded (not an image, or a
     *                               damaged one)
     */
    public static Tensor readGray(Path file, DataType type) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException("ImageIo.readGray: file expected an existing image file but got "
                    + file.toAbsolutePath());
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("ImageIo.readGray: " + file.toAbsolutePath() + " is damaged or not an image ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
        if (image == null) {
            throw new IOException("ImageIo.readGray: " + file.toAbsolutePath() + " is not an image format javax.imageio can read");
        }
        int h = image.getHeight();
        int w = image.getWidth();
        double[] gray = new double[h * w];
        Raster raster = image.getRaster();
        boolean plainGray = image.getColorModel() instanceof ComponentColorModel
                && image.getColorModel().getColorSpace().getNumComponents() == 1;
        if (plainGray) {
            double max = (1L << image.getColorModel().getComponentSize(0)) - 1;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    gray[i * w + j] = raster.getSample(j, i, 0) / max;
                }
            }
        } else {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int rgb = image.getRGB(j, i);
                    gray[i * w + j] = luminance((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
                }
            }
        }
        return Tensor.of(type, gray, 1, 1, h, w);
    }

    /** {@link #readGray(Path, DataType)} in float64. */
    public static Tensor readGray(Path file) throws IOException {
        return readGray(file, DataType.DOUBLE);
    }

    /**
     * The PNG and JPEG files of a directory ({@code *.png}, {@code *.jpg}, {@code *.jpeg}, any
     * case), sorted by name; other files are ignored.
     *
     * @param directory the directory
     * @throws FileNotFoundException naming the directory if it is missing or holds no such file
     */
    public static List<Path> imageFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new FileNotFoundException("ImageIo.imageFiles: directory expected an existing directory but got "
                    + directory.toAbsolutePath());
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
            }).filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new FileNotFoundException("ImageIo.imageFiles: directory expected a PNG or JPEG file but got none in "
                    + directory.toAbsolutePath());
        }
        return files;
    }

    /**
     * Reads every PNG or JPEG file of a directory ({@link #imageFiles}, sorted by name) as gray
     * {@code [1, 1, H, W]}.
     *
     * @param directory the directory
     * @param type      float32 or float64
     * @throws FileNotFoundException naming the directory if it is missing or holds no image file
     */
    public static List<Tensor> readGrayDirectory(Path directory, DataType type) throws IOException {
        List<Tensor> images = new ArrayList<>();
        for (Path f : imageFiles(directory)) {
            images.add(readGray(f, type));
        }
        return images;
    }

    /** BT.709 luminance of 8-bit sRGB values, in [0, 1]. */
    public static double luminance(int r, int g, int b) {
        return (0.2125 * r + 0.7154 * g + 0.0721 * b) / 255.0;
    }

    /**
     * Random square patches, for training denoisers: each patch picks an image uniformly, then a
     * top-left corner uniformly among those that fit.
     *
     * @param images gray images {@code [1, 1, H, W]}, each at least {@code size × size}
     * @param count  number of patches, ≥ 1
     * @param size   patch side, ≥ 1
     * @param seed   seed of the choice
     * @return {@code [count, 1, size, size]}, the type of the first image
     */
    public static Tensor randomPatches(List<Tensor> images, int count, int size, long seed) {
        if (images == null || images.isEmpty()) {
            throw Messages.badArgument("ImageIo.randomPatches", "images", "at least one image", "none");
        }
        if (count < 1 || size < 1) {
            throw Messages.badArgument("ImageIo.randomPatches", "count, size", "integers ≥ 1", count + ", " + size);
        }
        List<double[]> pixels = new ArrayList<>();
        for (int n = 0; n < images.size(); n++) {
            Tensor im = images.get(n);
            if (im.rank() != 4 || im.size(0) != 1 || im.size(1) != 1 || im.size(2) < size || im.size(3) < size) {
                throw Messages.badShape("ImageIo.randomPatches", "images[" + n + "]", "[1, 1, ≥ " + size + ", ≥ " + size + "]", im);
            }
            pixels.add(im.toDoubleArray());
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] out = new double[count * size * size];
        for (int c = 0; c < count; c++) {
            int n = rng.nextInt(images.size());
            int h = (int) images.get(n).size(2);
            int w = (int) images.get(n).size(3);
            int top = rng.nextInt(h - size + 1);
            int left = rng.nextInt(w - size + 1);
            double[] src = pixels.get(n);
            for (int i = 0; i < size; i++) {
                System.arraycopy(src, (top + i) * w + left, out, (c * size + i) * size, size);
            }
        }
        return Tensor.of(images.get(0).dtype(), out, count, 1, size, size);
    }

    /**
     * {@code x + σ·n} with n standard normal from a seeded generator (no clipping, so the noise
     * stays Gaussian).
     *
     * @param x     images (not mutated)
     * @param sigma noise standard deviation on the [0, 1] scale, ≥ 0
     * @param seed  seed of the noise
     * @return same shape and type
     */
    public static Tensor addGaussianNoise(Tensor x, double sigma, long seed) {
        Messages.nonNegative("ImageIo.addGaussianNoise", "sigma", sigma);
        return x.detach().add(Tensor.randn(x.dtype(), new SplittableRandom(seed), x.shape()).mul(sigma));
    }

    /**
     * Writes one gray image as an 8-bit PNG, values clipped to [0, 1] and rounded.
     *
     * @param image {@code [1, 1, H, W]} (not mutated)
     * @param file  the PNG to write; parent directories are created
     */
    public static void writeGray(Tensor image, Path file) throws IOException {
        writeStrip(List.of(image), file, 0);
    }

    /**
     * Writes gray images side by side, top-aligned on a white background with {@code gap} white
     * columns between them, as one 8-bit PNG (values clipped to [0, 1]).
     *
     * @param images each {@code [1, 1, H, W]} (not mutated)
     * @param file   the PNG to write; parent directories are created
     * @param gap    columns between images, ≥ 0
     */
    public static void writeStrip(List<Tensor> images, Path file, int gap) throws IOException {
        if (images == null || images.isEmpty()) {
            throw Messages.badArgument("ImageIo.writeStrip", "images", "at least one image", "none");
        }
        if (gap < 0) {
            throw Messages.badArgument("ImageIo.writeStrip", "gap", "an integer ≥ 0", gap);
        }
        int width = gap * (images.size() - 1);
        int height = 0;
        for (int n = 0; n < images.size(); n++) {
            Tensor im = images.get(n);
            if (im.rank() != 4 || im.size(0) != 1 || im.size(1) != 1) {
                throw Messages.badShape("ImageIo.writeStrip", "images[" + n + "]", "[1, 1, H, W]", im);
            }
            width += (int) im.size(3);
            height = Math.max(height, (int) im.size(2));
        }
        BufferedImage strip = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        var raster = strip.getRaster();
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                raster.setSample(j, i, 0, 255);
            }
        }
        int left = 0;
        for (Tensor im : images) {
            int h = (int) im.size(2);
            int w = (int) im.size(3);
            double[] d = im.toDoubleArray();
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double v = d[i * w + j];
                    if (Double.isNaN(v)) {
                        throw new ArithmeticException("ImageIo.writeStrip: pixel (" + i + ", " + j + ") is NaN");
                    }
                    raster.setSample(left + j, i, 0, (int) Math.round(255 * Math.min(1, Math.max(0, v))));
                }
            }
            left += w + gap;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(strip, "png", file.toFile())) {
            throw new IOException("ImageIo.writeStrip: no PNG writer available for " + file.toAbsolutePath());
        }
    }
}
