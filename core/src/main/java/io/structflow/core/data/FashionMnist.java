package io.structflow.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The Fashion-MNIST data set (Xiao, Rasul, Vollgraf 2017, arXiv:1708.07747): 60 000 training and
 * 10 000 test greyscale 28×28 images of clothing in 10 classes, read from the four IDX files.
 *
 * <p>{@link #load(Path)} looks in a directory for {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and
 * {@code t10k-labels-idx1-ubyte}, each with or without a {@code .gz} suffix (the content decides
 * whether it is decompressed; see {@link IdxReader}). On Debian, {@value #INSTALL_HINT}.
 *
 * <p>Images {@code [N, 1, 28, 28]} are held as the files' bytes, off the Java heap
 * ({@link UnsignedByteImages}: 47 MB for the training set, 7.8 MB for the test set) and become
 * pixel values in [0, 1] — the float32 nearest to {@code v / 255} for byte {@code v}, widened in a
 * float64 set — only in the arrays made from them: a training set's mini-batches, a test set's
 * features. Labels are class indices in 0..9, named by {@link #CLASS_NAMES}.
 */
public final class FashionMnist {

    /** How to get the data on Debian, quoted in every "not found" message. */
    public static final String INSTALL_HINT =
            "apt-get install -y dataset-fashion-mnist puts the files in /usr/share/datasets/fashion-mnist/";

    /** Where {@code dataset-fashion-mnist} installs the files. */
    public static final String DEFAULT_DIRECTORY = "/usr/share/datasets/fashion-mnist";

    /** Number of classes. */
    public static final int NUM_CLASSES = 10;

    /** Image height and width in pixels. */
    public static final int IMAGE_SIZE = 28;

    /** The class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Base names of the four files, without {@code .gz}. */
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private final UnsignedByteImages trainImages;
    private final int[] trainLabels;
    private final UnsignedByteImages testImages;
    private final int[] testLabels;

    private FashionMnist(UnsignedByteImages trainImages, int[] trainLabels, UnsignedByteImages testImages,
                         int[] testLabels) {
        this.trainImages = trainImages;
        this.trainLabels = trainLabels;
        this.testImages = testImages;
        this.testLabels = testLabels;
    }

    /** The directory {@code dataset-fashion-mnist} installs to: {@value #DEFAULT_DIRECTORY}. */
    public static Path defaultDirectory() {
        return Path.of(DEFAULT_DIRECTORY);
    }

    /**
     * Loads the data set from {@link #defaultDirectory()}.
     *
     * @see #load(Path)
     */
    public static FashionMnist load() throws IOException {
        return load(defaultDirectory());
    }

    /**
     * Loads the four IDX files from a directory.
     *
     * @param dir directory holding the four files, each plain or {@code .gz}
     * @return the training and test images and labels
     * @throws NoSuchFileException if the directory or one of the files is missing; the message names
     *                             the path and says how to install the data
     * @throws IdxFormatException  if a file is not valid IDX, images are not {@code [N, 28, 28]}
     *                             ubyte, labels are not in 0..9, or images and labels differ in count
     * @throws IOException         on any other read failure
     */
    public static FashionMnist load(Path dir) throws IOException {
        if (dir == null) {
            throw new IllegalArgumentException("FashionMnist.load: dir expected non-null but got null");
        }
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null,
                    "Fashion-MNIST directory not found (" + INSTALL_HINT + ")");
        }
        Path trainImagesFile = find(dir, TRAIN_IMAGES);
        Path trainLabelsFile = find(dir, TRAIN_LABELS);
        Path testImagesFile = find(dir, TEST_IMAGES);
        Path testLabelsFile = find(dir, TEST_LABELS);

        UnsignedByteImages trainImages = readImages(trainImagesFile);
        int[] trainLabels = readLabels(trainLabelsFile);
        checkSameCount(trainImagesFile, trainImages.count(), trainLabelsFile, trainLabels);
        UnsignedByteImages testImages = readImages(testImagesFile);
        int[] testLabels = readLabels(testLabelsFile);
        checkSameCount(testImagesFile, testImages.count(), testLabelsFile, testLabels);
        return new FashionMnist(trainImages, trainLabels, testImages, testLabels);
    }

    /** Training images {@code [60000, 1, 28, 28]} as bytes. */
    public UnsignedByteImages trainImages() {
        return trainImages;
    }

    /** Training labels in 0..9, one per training image (a copy). */
    public int[] trainLabels() {
        return trainLabels.clone();
    }

    /** Test images {@code [10000, 1, 28, 28]} as bytes. */
    public UnsignedByteImages testImages() {
        return testImages;
    }

    /** Test labels in 0..9, one per test image (a copy). */
    public int[] testLabels() {
        return testLabels.clone();
    }

    /**
     * The first {@code n} training images and their labels as a classification set; the images
     * stay bytes (shared with this object) and each batch converts its own.
     *
     * @param n    images, 0 or more than the set for all of them
     * @param type element type of the features (FLOAT or DOUBLE)
     */
    public Dataset trainingSet(int n, DataType type) {
        int count = n <= 0 ? trainLabels.length : Math.min(n, trainLabels.length);
        return Dataset.classification("fashion-mnist/train[0:" + count + "]", trainImages.first(count), type,
                Arrays.copyOf(trainLabels, count));
    }

    /**
     * The first {@code n} test images (a fixed set) and their labels as a classification set; the
     * images stay bytes (shared with this object).
     *
     * @param n    images, 1 to the size of the test set
     * @param type element type of the features (FLOAT or DOUBLE)
     */
    public Dataset testSet(int n, DataType type) {
        if (n < 1 || n > testLabels.length) {
            throw new IllegalArgumentException("FashionMnist.testSet: n expected 1.." + testLabels.length + " but got "
                    + n);
        }
        return Dataset.classification("fashion-mnist/test[0:" + n + "]", testImages.first(n), type,
                Arrays.copyOf(testLabels, n));
    }

    @Override
    public String toString() {
        return "FashionMnist[train=" + trainLabels.length + ", test=" + testLabels.length + "]";
    }

    /** The plain file if present, else the {@code .gz} one; neither throws naming both. */
    private static Path find(Path dir, String baseName) throws NoSuchFileException {
        Path plain = dir.resolve(baseName);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(baseName + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new NoSuchFileException(plain.toString(), null,
                "Fashion-MNIST file not found, with or without .gz (" + INSTALL_HINT + ")");
    }

    private static UnsignedByteImages readImages(Path file) throws IOException {
        UnsignedByteImages images = UnsignedByteImages.read(file);
        long[] shape = images.shape();
        if (shape[1] != 1 || shape[2] != IMAGE_SIZE || shape[3] != IMAGE_SIZE) {
            throw new IdxFormatException(file, "Fashion-MNIST images expected shape [N, 28, 28] (read as [N, 1, 28, 28])"
                    + " but got " + Arrays.toString(shape));
        }
        return images;
    }

    private static int[] readLabels(Path file) throws IOException {
        int[] labels = IdxReader.readLabels(file);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= NUM_CLASSES) {
                throw new IdxFormatException(file, "Fashion-MNIST labels expected in 0.." + (NUM_CLASSES - 1)
                        + " but label " + i + " is " + labels[i]);
            }
        }
        return labels;
    }

    private static void checkSameCount(Path imagesFile, long images, Path labelsFile, int[] labels)
            throws IdxFormatException {
        if (images != labels.length) {
            throw new IdxFormatException(labelsFile, "expected one label per image of " + imagesFile + " ("
                    + images + ") but got " + labels.length + " labels");
        }
    }
}
