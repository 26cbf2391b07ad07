package io.structflow.examples.support;

import io.structflow.core.data.FashionMnist;
import io.structflow.core.data.UnsignedByteImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** A few Fashion-MNIST images written as a data directory, for tests that start processes. */
public final class FashionMnistSubset {
    private FashionMnistSubset() {
    }

    /**
     * The first {@code train} training and {@code test} test images of {@code data} as plain IDX
     * files in {@code dir}, so that each process reads a few kilobytes instead of the whole set.
     */
    public static Path write(FashionMnist data, int train, int test, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeIdx(dir.resolve("train-images-idx3-ubyte"), data.trainImages(), null, train);
        writeIdx(dir.resolve("train-labels-idx1-ubyte"), null, data.trainLabels(), train);
        writeIdx(dir.resolve("t10k-images-idx3-ubyte"), data.testImages(), null, test);
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte"), null, data.testLabels(), test);
        return dir;
    }

    /** Unsigned-byte IDX of the first {@code n} images {@code [N, 1, 28, 28]} (their bytes), or labels. */
    private static void writeIdx(Path file, UnsignedByteImages images, int[] labels, int n) throws IOException {
        int side = FashionMnist.IMAGE_SIZE;
        int per = images == null ? 1 : side * side;
        ByteBuffer b = ByteBuffer.allocate(images == null ? 8 + n : 16 + n * per);
        b.putInt(images == null ? 0x801 : 0x803).putInt(n);
        if (images == null) {
            for (int i = 0; i < n; i++) {
                b.put((byte) labels[i]);
            }
        } else {
            b.putInt(side).putInt(side);
            b.put(images.first(n).bytes());
        }
        Files.write(file, b.array());
    }
}
