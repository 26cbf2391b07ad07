package io.structflow.examples.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The check, before any work, that an output directory can be created and written. */
public final class OutputDirectory {
    private OutputDirectory() {
    }

    /**
     * Creates {@code dir} (and its parents) and writes and deletes a probe file in it.
     *
     * @param option the option that named the directory, for the message
     * @return {@code dir}
     * @throws IllegalArgumentException naming {@code option}, the path and the cause
     */
    public static Path prepare(String option, Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new IllegalArgumentException(option + ": cannot create " + dir + ": "
                        + (p.equals(dir.toAbsolutePath()) ? "a file of that name is in the way" : p + " is a file, not a directory"));
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": cannot create " + FileErrors.describe(e), e);
        }
        try {
            Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": cannot write in " + dir + " (" + FileErrors.describe(e) + ")", e);
        }
        return dir;
    }
}
