package io.structflow.examples.pnp;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.FashionMnist;
import io.structflow.core.data.UnsignedByteImages;
import io.structflow.imaging.ImageIo;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The images of the denoising and deblurring experiments ([M-slides], plug-and-play), split into
 * training images (patches are drawn from them) and held-out test images (centre crops of a fixed
 * side, since the convolutional gradient fields act on a fixed image size).
 *
 * <p>{@link Source#SKIMAGE}: natural images of Debian's {@code python3-skimage}
 * ({@link #SKIMAGE_DATA}), read as gray in [0, 1]; training on {@link #SKIMAGE_TRAIN},
 * testing on {@link #SKIMAGE_TEST}. {@link Source#FMNIST}: Fashion-MNIST, training on the first
 * training images, testing on the first test images (28×28 each). {@link Source#DIRECTORY}: any
 * directory with a {@code train/} and a {@code test/} folder of PNG or JPEG images
 * ({@link ImageIo#imageFiles}), for example BSDS500's {@code data/images} (the slides' data set).
 *
 * @param source     where the images come from
 * @param train      training images, each {@code [1, 1, H, W]} (sizes may differ)
 * @param trainNames the training images' file names (for Fashion-MNIST one entry naming the range)
 * @param test       held-out test crops, each {@code [1, 1, side, side]}
 * @param testNames  a name per test crop (file name, or {@code fmnist-test-i})
 */
public record ImageSets(Source source, List<Tensor> train, List<String> trainNames, List<Tensor> test,
                        List<String> testNames) {
    /** Where Debian's {@code python3-skimage} puts its sample images. */
    public static final Path SKIMAGE_DATA = Path.of("/usr/lib/python3/dist-packages/skimage/data");

    /** The hint appended to a missing skimage image's message. */
    public static final String INSTALL_HINT = "natural test images come with Debian's python3-skimage "
            + "(apt-get install -y python3-skimage) under " + SKIMAGE_DATA + "/ (camera.png, astronaut.png, coffee.png, …); "
            + "Fashion-MNIST, a small alternative, loads with io.structflow.core.data.FashionMnist";

    /** Training images of the skimage set (natural photographs and textures). */
    public static final List<String> SKIMAGE_TRAIN = List.of("astronaut.png", "brick.png", "chelsea.png", "coffee.png",
            "grass.png", "gravel.png", "moon.png");

    /** Held-out test images of the skimage set. */
    public static final List<String> SKIMAGE_TEST = List.of("camera.png", "coins.png");

    /** Where the images come from. */
    public enum Source {
        /** Natural images of scikit-image. */
        SKIMAGE,
        /** Fashion-MNIST. */
        FMNIST,
        /** A directory with {@code train/} and {@code test/} image folders. */
        DIRECTORY;

        /** {@code skimage}, {@code fmnist}, or anything else: a directory path. */
        public static Source parse(String s) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("--data: expected skimage, fmnist or a directory but got '" + s + "'");
            }
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "skimage" -> SKIMAGE;
                case "fmnist" -> FMNIST;
                default -> DIRECTORY;
            };
        }
    }

    /**
     * Loads the images named by a {@code --data} value: {@code skimage}, {@code fmnist}, or a
     * directory ({@link #loadDirectory}).
     *
     * @param data      the {@code --data} value
     * @param testSide  side of the centre crop of each test image
     * @param testCount number of Fashion-MNIST test images (ignored otherwise)
     * @param type      float32 or float64
     * @throws IOException with the install hint or the expected layout when images are missing
     */
    public static ImageSets load(String data, int testSide, int testCount, DataType type) throws IOException {
        Source source = Source.parse(data);
        return source == Source.DIRECTORY ? loadDirectory(Path.of(data), testSide, type)
                : load(source, testSide, testCount, type);
    }

    /**
     * Loads {@code directory/train/*} as training images and the centre crops of
     * {@code directory/test/*} as test images (PNG or JPEG, read as gray, sorted by name).
     *
     * @param directory the directory holding {@code train/} and {@code test/}
     * @param testSide  side of the centre crop of each test image
     * @param type      float32 or float64
     * @throws FileNotFoundException naming the missing folder and the expected layout
     */
    public static ImageSets loadDirectory(Path directory, int testSide, DataType type) throws IOException {
        if (testSide < 8) {
            throw new IllegalArgumentException("ImageSets.load: testSide expected ≥ 8 but got " + testSide);
        }
        for (String folder : List.of("train", "test")) {
            if (!Files.isDirectory(directory.resolve(folder))) {
                throw new FileNotFoundException("expected skimage, fmnist or a directory holding train/ "
                        + "and test/ folders of PNG or JPEG images, but " + directory.toAbsolutePath() + " has no "
                        + folder + "/ folder");
            }
        }
        List<Tensor> train = new ArrayList<>();
        List<String> trainNames = new ArrayList<>();
        for (Path f : ImageIo.imageFiles(directory.resolve("train"))) {
            train.add(ImageIo.readGray(f, type));
            trainNames.add(f.getFileName().toString());
        }
        List<Tensor> test = new ArrayList<>();
        List<String> testNames = new ArrayList<>();
        for (Path f : ImageIo.imageFiles(directory.resolve("test"))) {
            String name = f.getFileName().toString();
            test.add(centreCrop(ImageIo.readGray(f, type), testSide, name));
            testNames.add(name);
        }
        return new ImageSets(Source.DIRECTORY, train, trainNames, test, testNames);
    }

    /**
     * Loads the training images and the test crops.
     *
     * @param source   skimage or Fashion-MNIST (a directory goes through {@link #loadDirectory})
     * @param testSide side of the centre crop of each test image (skimage); Fashion-MNIST images
     *                 are 28×28 and this must be 28
     * @param testCount number of Fashion-MNIST test images (ignored for skimage)
     * @param type     float32 or float64
     * @throws IOException with the install hint when the images are missing
     */
    public static ImageSets load(Source source, int testSide, int testCount, DataType type) throws IOException {
        if (source == Source.DIRECTORY) {
            throw new IllegalArgumentException("ImageSets.load: source DIRECTORY needs its path; use load(String, …) "
                    + "or loadDirectory");
        }
        if (testSide < 8) {
            throw new IllegalArgumentException("ImageSets.load: testSide expected ≥ 8 but got " + testSide);
        }
        if (source == Source.SKIMAGE) {
            List<Tensor> train = new ArrayList<>();
            for (String name : SKIMAGE_TRAIN) {
                train.add(readSkimage(name, type));
            }
            List<Tensor> test = new ArrayList<>();
            for (String name : SKIMAGE_TEST) {
                test.add(centreCrop(readSkimage(name, type), testSide, name));
            }
            return new ImageSets(source, train, SKIMAGE_TRAIN, test, SKIMAGE_TEST);
        }
        if (testSide != FashionMnist.IMAGE_SIZE) {
            throw new IllegalArgumentException("--test-size: Fashion-MNIST images are " + FashionMnist.IMAGE_SIZE
                    + "×" + FashionMnist.IMAGE_SIZE + ", so the test side must be " + FashionMnist.IMAGE_SIZE
                    + " but got " + testSide);
        }
        if (testCount < 1) {
            throw new IllegalArgumentException("ImageSets.load: testCount expected ≥ 1 but got " + testCount);
        }
        FashionMnist data = FashionMnist.load();
        List<Tensor> train = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            train.add(image(data.trainImages(), i, type));
        }
        List<Tensor> test = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < testCount; i++) {
            test.add(image(data.testImages(), i, type));
            names.add("fmnist-test-" + i);
        }
        return new ImageSets(source, train, List.of("fashion-mnist training images 0-1999"), test, names);
    }

    /** The test crops stacked into one batch {@code [n, 1, side, side]}. */
    public Tensor testBatch() {
        return Tensor.concat(0, test.toArray(new Tensor[0]));
    }

    /** Side of the test crops. */
    public int testSide() {
        return (int) test.get(0).size(2);
    }

    /**
     * The centre {@code side × side} crop of a gray image.
     *
     * @param image {@code [1, 1, H, W]} with H, W ≥ side
     * @param side  crop side
     * @param name  the image's name, for the message
     */
    public static Tensor centreCrop(Tensor image, int side, String name) {
        long h = image.size(2);
        long w = image.size(3);
        if (h < side || w < side) {
            throw new IllegalArgumentException("centre crop of " + name + ": the image is " + h + "×" + w
                    + ", smaller than the requested side " + side);
        }
        return image.region(new long[] {0, 0, (h - side) / 2, (w - side) / 2}, new long[] {1, 1, side, side});
    }

    private static Tensor image(UnsignedByteImages all, int index, DataType type) {
        return Tensor.constant(all.toArray(new int[] {index}, type));
    }

    /** Where the skimage images are looked for (for messages). */
    public static Path skimageDirectory() {
        return SKIMAGE_DATA;
    }

    /** One skimage image as gray {@code [1, 1, H, W]}; a missing file's message carries {@link #INSTALL_HINT}. */
    static Tensor readSkimage(String name, DataType type) throws IOException {
        Path file = SKIMAGE_DATA.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException("--data skimage: expected the image " + file + " but it is missing; "
                    + INSTALL_HINT);
        }
        return ImageIo.readGray(file, type);
    }
}
