package io.structflow.spark;

import io.structflow.core.data.Dataset;
import io.structflow.core.data.PlanarData;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;

/** Shared pieces of the module's tests: one local Spark context per test class, a small data set. */
final class SparkTests {
    private SparkTests() {
    }

    /** A local context with {@code threads} executor threads and {@code maxFailures} attempts per task. */
    static JavaSparkContext local(int threads, int maxFailures, boolean failFirstAttempt) {
        return new JavaSparkContext(new SparkConf().setMaster("local[" + threads + "," + maxFailures + "]")
                .setAppName("structflow-test").set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set(FaultInjection.FAIL_FIRST_ATTEMPT, Boolean.toString(failFirstAttempt)));
    }

    /** Two moons in the plane, float64, labels 0/1. */
    static Dataset moons(int n, long seed) {
        return PlanarData.twoMoons(n, 0.1, seed, DataType.DOUBLE);
    }
}
