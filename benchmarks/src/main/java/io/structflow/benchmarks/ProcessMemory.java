package io.structflow.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory as Linux reports it in {@code /proc/self/status}. */
final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Resident set size now (VmRSS), kB. */
    static long residentKilobytes() throws IOException {
        return field("VmRSS:");
    }

    /** Peak resident set size so far (VmHWM, the high-water mark), kB. */
    static long peakResidentKilobytes() throws IOException {
        return field("VmHWM:");
    }

    private static long field(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("/proc/self/status: no " + name + " line (not Linux?)");
    }
}
