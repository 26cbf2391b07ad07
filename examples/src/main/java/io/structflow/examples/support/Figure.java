package io.structflow.examples.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A figure of a report: writes its file or files (PNG plots, image strips) into an output directory. */
@FunctionalInterface
public interface Figure {
    /**
     * Writes the figure into {@code dir}.
     *
     * @return the files written
     */
    List<Path> writeTo(Path dir) throws IOException;
}
