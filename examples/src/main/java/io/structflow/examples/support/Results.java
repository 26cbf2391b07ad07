package io.structflow.examples.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.structflow.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes an experiment's {@code results.json}: every figure its table prints, snake_case keys,
 * written atomically (a reader never sees half a file).
 */
public final class Results {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Results() {
    }

    /**
     * Writes {@code values} as {@code dir/results.json}, creating {@code dir} and deleting the
     * temporary files that a process killed while writing it left there.
     *
     * @return the file written
     */
    public static Path write(Path dir, Map<String, ?> values) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("results.json");
        AtomicFiles.deleteTemporaries(file);
        byte[] bytes = JSON.writeValueAsBytes(values);
        AtomicFiles.write(file, out -> out.write(bytes));
        return file;
    }

    /** Reads a results file back (for tests and scripts). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Map.class);
    }
}
