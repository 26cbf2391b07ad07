package io.structflow.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultToleranceTest {
    private static final TinyProblem PROBLEM = new TinyProblem(11, 0.05);

    private static double[] train(JavaSparkContext sc, Dataset data, int epochs, String checkpoint) throws IOException {
        try (SyncDataParallel dp = new SyncDataParallel(sc, PROBLEM, data,
                new SyncDataParallel.Settings(3, 24, epochs, 5, null, checkpoint))) {
            dp.fit();
            return FlatParameters.values(dp.driver().model().parameters());
        }
    }

    @Test
    void tasksFailingOnTheirFirstAttempt_areRetried_andTheResultIsUnchanged() throws IOException {
        Dataset data = SparkTests.moons(96, 6);
        double[] plain;
        JavaSparkContext sc = SparkTests.local(2, 1, false);
        try {
            plain = train(sc, data, 2, null);
        } finally {
            sc.stop();
        }
        JavaSparkContext failing = SparkTests.local(2, 2, true);
        try {
            assertArrayEquals(plain, train(failing, data, 2, null), 0.0);
            assertTrue(failing.sc().statusTracker().getActiveJobIds().length == 0);
        } finally {
            failing.stop();
        }
        JavaSparkContext noRetry = SparkTests.local(2, 1, true);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> train(noRetry, data, 1, null));
            assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
        } finally {
            noRetry.stop();
        }
    }

    @Test
    void aRunKilledMidEpoch_resumesFromItsCheckpoint_toTheParametersOfAnUninterruptedRun(@TempDir Path dir)
            throws IOException {
        Dataset data = SparkTests.moons(96, 7);
        JavaSparkContext sc = SparkTests.local(2, 1, false);
        try {
            double[] uninterrupted = train(sc, data, 3, null);
            String checkpoint = dir.resolve("run/checkpoint.zip").toUri().toString();
            try (SyncDataParallel killed = new SyncDataParallel(sc, PROBLEM, data,
                    new SyncDataParallel.Settings(3, 24, 1, 5, null, checkpoint))) {
                killed.fit();                               // epoch 0, checkpointed
                killed.step(new int[] {0, 1, 2, 40, 41});   // part of epoch 1, lost with the process
            }
            assertArrayEquals(uninterrupted, train(sc, data, 3, checkpoint), 0.0);
            List<Path> left;
            try (var files = Files.list(dir.resolve("run"))) {
                left = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            }
            assertTrue(left.isEmpty(), "temporary files left: " + left);

            Files.write(dir.resolve("run/checkpoint.zip"), new byte[] {1, 2, 3});
            IOException e = assertThrows(IOException.class, () -> train(sc, data, 3, checkpoint));
            assertTrue(e.getMessage().startsWith("checkpoint " + checkpoint.replace("file:///", "file:/")),
                    e.getMessage());
        } finally {
            sc.stop();
        }
    }
}
