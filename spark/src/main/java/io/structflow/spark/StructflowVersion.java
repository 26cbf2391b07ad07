package io.structflow.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The structflow version of this JVM (written into the module's resources at build time) and the
 * check that every executor runs the driver's: replicas built from different code could
 * disagree on parameter layout or arithmetic, and data-parallel training would silently mix them.
 */
final class StructflowVersion {
    private static final String RESOURCE = "version.properties";

    private StructflowVersion() {
    }

    /** This JVM's structflow version. */
    static String current() {
        try (InputStream in = StructflowVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("structflow-spark: resource " + RESOURCE + " expected on the class path"
                        + " but is missing (a damaged jar?)");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs on an executor: throws unless it runs {@code expected}.
     *
     * @throws IllegalStateException naming both versions
     */
    static void require(String expected) {
        String found = current();
        if (!found.equals(expected)) {
            throw new IllegalStateException("structflow version: executors expected " + expected
                    + " (the driver's) but found " + found);
        }
    }

    /**
     * Checks every executor slot once (one task per default-parallelism slot) against
     * {@code expected}.
     *
     * @throws IllegalStateException of one line naming both versions
     */
    static void requireOnExecutors(JavaSparkContext sc, String expected) {
        int slots = Math.max(1, sc.defaultParallelism());
        java.util.List<Integer> ones = java.util.Collections.nCopies(slots, 1);
        Jobs.run(() -> sc.parallelize(ones, slots).foreach(x -> require(expected)));
    }
}
