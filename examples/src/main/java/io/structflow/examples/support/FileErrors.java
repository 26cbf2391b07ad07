package io.structflow.examples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** File-system failures in words, for one-line error messages. */
public final class FileErrors {
    private FileErrors() {
    }

    /**
     * Where and what went wrong, e.g. {@code /data/x: no such file or directory}; other failures (a
     * malformed data file, a corrupt checkpoint) keep their own message.
     */
    public static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        if (!(e instanceof FileSystemException f)) {
            return e.getMessage();
        }
        String reason = f.getReason() != null ? f.getReason()
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException ? "a file of that name is in the way"
                : e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof NotDirectoryException ? "not a directory"
                : e.getClass().getSimpleName();
        return f.getFile() != null ? f.getFile() + ": " + reason : reason;
    }

    /** Whether {@code e} is a failure of the input: an I/O failure or an {@link IllegalArgumentException}. */
    public static boolean isBadInput(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException;
    }
}
