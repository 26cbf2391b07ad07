package io.structflow.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the test classes that share one {@code local[2]} Spark context for all their tests. */
abstract class WithLocalSpark {
    static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = SparkTests.local(2, 1, false);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }
}
