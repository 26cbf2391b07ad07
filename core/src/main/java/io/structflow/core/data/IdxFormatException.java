package io.structflow.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An IDX file exists but its bytes are not a valid IDX array: bad magic number, unsupported
 * element type code, fewer or more payload bytes than its header declares, or a shape the caller
 * did not expect. The message names the file, what was expected and what was found.
 */
public class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path   the offending file
     * @param detail what was expected and what was found
     */
    public IdxFormatException(Path path, String detail) {
        super(path + ": " + detail);
        this.path = path;
    }

    /**
     * @param path   the offending file
     * @param detail what was expected and what was found
     * @param cause  the underlying I/O failure (for example a corrupt gzip stream)
     */
    public IdxFormatException(Path path, String detail, Throwable cause) {
        super(path + ": " + detail, cause);
        this.path = path;
    }

    /** The file that could not be read as IDX. */
    public Path path() {
        return path;
    }
}
