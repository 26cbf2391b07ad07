package io.structflow.examples.support;

import io.structflow.spark.SparkMaster;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Option;

/**
 * The {@code --spark <master>} option of the commands that can run their heavy work on Apache
 * Spark (module {@code structflow-spark}): {@code local[N]} on this machine, {@code spark://host:7077}
 * or {@code yarn} on a cluster. Without it the command runs in this JVM as before.
 */
public final class SparkOption {
    @Option(names = "--spark", paramLabel = "MASTER",
            description = "run on Apache Spark: local[N] (N executor threads here), spark://host:7077, yarn;"
                    + " a standalone master must answer within 10 s (see docs/spark.md)")
    String master;

    /** Whether {@code --spark} was given. */
    public boolean enabled() {
        return master != null;
    }

    /** The master URL, or null without {@code --spark}. */
    public String master() {
        return master;
    }

    /**
     * Checks the master before any work (a no-op without {@code --spark}).
     *
     * @throws IllegalArgumentException naming {@code --spark} if the master is blank or a
     *         standalone master does not answer within 10 s
     */
    public void check() {
        if (enabled()) {
            SparkMaster.requireReachable(master);
        }
    }

    /**
     * A Spark context for the master, named after {@code command}.
     *
     * @throws IllegalArgumentException naming {@code --spark} if the master is blank or a
     *         standalone master does not answer
     */
    public JavaSparkContext open(String command) {
        return SparkMaster.open(master, "structflow " + command);
    }
}
