package io.structflow.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Opens a Spark context for a master URL ({@code local[N]}, {@code local[N,F]},
 * {@code spark://host:port[,host2:port2]}, {@code yarn}, {@code k8s://…}), failing fast on a
 * standalone master that does not answer.
 *
 * <p>Java 17 needs Spark's module openings; {@code spark-submit} adds them itself, a plain
 * {@code java} launch needs {@link #JAVA_17_OPTIONS} (the CLI's fat jar carries them in its
 * manifest's {@code Add-Opens}).
 */
public final class SparkMaster {
    /** How long a standalone master gets to accept a TCP connection before the run is refused. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The JVM options Spark needs on Java 17 when not started by {@code spark-submit}. */
    public static final String JAVA_17_OPTIONS = "--add-opens=java.base/java.lang=ALL-UNNAMED"
            + " --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
            + " --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED"
            + " --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED"
            + " --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
            + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
            + " --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
            + " --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED"
            + " --add-opens=java.base/sun.util.calendar=ALL-UNNAMED";

    /**
     * The master URLs Spark's scheduler accepts ({@code SparkContext.createTaskScheduler}): local
     * with N ≥ 1 threads (or {@code *}) and optionally F ≥ 1 task attempts, local-cluster, a
     * standalone master, YARN and Kubernetes.
     */
    private static final Pattern MASTER = Pattern.compile("local|local\\[([1-9][0-9]*|\\*)(\\s*,\\s*[1-9][0-9]*)?]"
            + "|local-cluster\\[\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*]|spark://.+|yarn|k8s://.+");

    private SparkMaster() {
    }

    /**
     * A new context for {@code master} named {@code appName}: no web UI, no console progress
     * bar, and for {@code local} masters a driver bound to the loopback address.
     *
     * @throws IllegalArgumentException of one line naming the master if it is blank, or is a
     *         standalone master that accepts no connection within {@link #CONNECT_TIMEOUT}
     */
    public static JavaSparkContext open(String master, String appName) {
        requireReachable(master);
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        return new JavaSparkContext(conf);
    }

    /**
     * Checks, before any work, that {@code master} is a master URL Spark accepts and, for a
     * {@code spark://} master, that it accepts a connection within {@link #CONNECT_TIMEOUT}.
     *
     * @throws IllegalArgumentException of one line naming the master otherwise
     */
    public static void requireReachable(String master) {
        requireReachable(master, CONNECT_TIMEOUT);
    }

    /**
     * Checks that {@code master} is a master URL Spark accepts and that one of the hosts of a
     * {@code spark://} master accepts a TCP connection within {@code timeout}; whether a YARN or
     * Kubernetes master answers is left to Spark.
     *
     * @throws IllegalArgumentException naming the master: malformed, or with the last connection error
     */
    static void requireReachable(String master, Duration timeout) {
        if (master == null || master.isBlank() || !MASTER.matcher(master).matches()) {
            throw new IllegalArgumentException("--spark: expected a master URL (local, local[N], local[N,F], local[*],"
                    + " spark://host:7077, yarn, k8s://host:port) but got "
                    + (master == null ? "none" : "\"" + master + "\""));
        }
        if (!master.startsWith("spark://")) {
            return;
        }
        String last = "no host given";
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI uri = URI.create("spark://" + hostPort.trim());
            if (uri.getHost() == null) {
                last = "\"" + hostPort + "\" is not host:port";
                continue;
            }
            int port = uri.getPort() < 0 ? 7077 : uri.getPort();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), port), (int) timeout.toMillis());
                return;
            } catch (IOException e) {
                last = uri.getHost() + ":" + port + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
            }
        }
        throw new IllegalArgumentException("--spark: master " + master + " expected to accept a connection within "
                + timeout.toSeconds() + " s but " + last);
    }
}
