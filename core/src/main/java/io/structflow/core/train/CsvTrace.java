package io.structflow.core.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link StepObserver} that writes a CSV file: a header, then rows for every {@code every}-th
 * optimiser step (global step index a multiple of {@code every}), flushed after each traced step
 * so that a killed run keeps what it traced. The file is overwritten when the trace is opened.
 */
public abstract class CsvTrace implements StepObserver, AutoCloseable {
    private final String owner;
    private final int every;
    private final BufferedWriter out;

    /**
     * @param owner  the trace's class name, for messages
     * @param header the CSV header
     * @param every  steps between traced steps, ≥ 1
     * @param file   the CSV file (its directory must exist)
     * @throws IllegalArgumentException if {@code every < 1}
     * @throws IOException if the file cannot be written
     */
    protected CsvTrace(String owner, String header, int every, Path file) throws IOException {
        if (every < 1) {
            throw new IllegalArgumentException(owner + ": every expected ≥ 1 step but got " + every);
        }
        this.owner = owner;
        this.every = every;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(header);
        out.newLine();
    }

    /** Whether step {@code s} is traced. */
    protected final boolean traced(TrainingStep s) {
        return s.step() % every == 0;
    }

    /** Writes rows (each without its line end) and flushes them. */
    protected final void writeRows(Iterable<String> rows) {
        try {
            for (String row : rows) {
                out.write(row);
                out.newLine();
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(owner + ": could not write the trace", e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
