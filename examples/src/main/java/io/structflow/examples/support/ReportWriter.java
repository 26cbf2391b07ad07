package io.structflow.examples.support;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a {@link Report}: prints its text, writes {@code results.json} and its figures, and lists the files. */
public final class ReportWriter {
    private ReportWriter() {
    }

    /**
     * Prints {@code report}'s text to {@code console}, writes {@code out/results.json} and the figures
     * into {@code out}, then prints the files written.
     *
     * @return the files written, results.json first
     */
    public static List<Path> write(Report report, Path out, PrintStream console) throws IOException {
        console.print(report.text());
        List<Path> files = new ArrayList<>();
        files.add(Results.write(out, report.results()));
        for (Figure figure : report.figures()) {
            files.addAll(figure.writeTo(out));
        }
        for (Path file : files) {
            console.println("wrote " + file);
        }
        return files;
    }
}
