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

    /** Three-class data in the plane: two moons labelled 0/1 plus a shifted copy labelled 2. */
    static Dataset moons(int n, long seed) {
        Dataset d = PlanarData.twoMoons(n, 0.1, seed, DataType.DOUBLE);
        int[] labels = d.labels().clone();
        for (int i = 0; i < labels.length; i += 3) {
            labels[i] = 2;
        }
        return Dataset.classification("moons3", d.features().add(0), labels);
    }
}
