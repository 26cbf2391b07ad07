package io.structflow.examples.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import io.structflow.core.data.FashionMnist;
import io.structflow.core.train.Checkpoint;
import io.structflow.examples.support.FashionMnistSubset;
import io.structflow.examples.support.Results;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume after SIGKILL of {@code certify}'s training ({@link CertifyKillTarget} in its own JVM):
 * killed once just after its first epoch's checkpoint and once while a checkpoint is being written, each
 * time rerun in the same directory to the end, it ends with the parameters and optimiser state of
 * an uninterrupted run bit for bit, the same results and no temporary file. (The many random
 * moments are {@code RobustKillTest}'s; this one covers the parametrised orthogonal network,
 * Adam, the cosine schedule and the shifts.)
 */
class CertifyKillTest {
    @TempDir
    Path tmp;
    private Path data;
    private int launches;

    @Test
    void sigkillAfterACheckpointAndDuringASave_rerunsEndBitForBitAsAnUninterruptedRun() throws Exception {
        Backend.init();
        data = FashionMnistSubset.write(FashionMnist.load(), 96, 16, tmp.resolve("data"));
        Path reference = tmp.resolve("reference");
        Process whole = launch(reference);
        assertTrue(whole.waitFor(120, TimeUnit.SECONDS), "the uninterrupted run finishes");
        assertCompleted(whole, reference);
        Checkpoint expected = checkpoint(reference);
        Map<String, Object> expectedResults = Results.read(reference.resolve("results.json"));

        for (boolean duringSave : new boolean[] {false, true}) {
            Path dir = tmp.resolve(duringSave ? "killed-saving" : "killed-after-checkpoint");
            Process run = launch(dir);
            assertTrue(killWhen(run, dir, duringSave), "the run was killed before it ended");
            Process rest = launch(dir);
            assertTrue(rest.waitFor(120, TimeUnit.SECONDS), "the rerun finishes");
            assertCompleted(rest, dir);
            assertEquals(Optional.empty(), expected.firstDifference(checkpoint(dir)), dir.toString());
            Map<String, Object> results = Results.read(dir.resolve("results.json"));
            for (String key : List.of("clean_accuracy", "certified_accuracy", "lipschitz_bound")) {
                assertEquals(expectedResults.get(key), results.get(key), dir + ": " + key);
            }
            if (!duringSave) {
                assertTrue((Integer) results.get("epochs_before") > 0, dir + ": the rerun resumed: " + results);
            }
            try (var files = Files.walk(dir)) {
                assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(), "temporary files left");
            }
        }
    }

    private Process launch(Path dir) throws IOException {
        launches++;
        Path log = tmp.resolve("launch-" + launches + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:TieredStopAtLevel=1", "-Dorg.bytedeco.javacpp.maxphysicalbytes=3G",
                "-cp", System.getProperty("java.class.path"), CertifyKillTarget.class.getName(), dir.toString(),
                data.toString());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Kills {@code run} when a checkpoint's temporary file appears, or when the first checkpoint exists; whether it did. */
    private static boolean killWhen(Process run, Path dir, boolean duringSave) throws InterruptedException, IOException {
        Path net = dir.resolve(CertifyKillTarget.NETWORK_DIR);
        while (run.isAlive()) {
            boolean now;
            if (duringSave) {
                try (var files = Files.exists(net) ? Files.list(net) : java.util.stream.Stream.<Path>empty()) {
                    now = files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"));
                } catch (IOException | java.io.UncheckedIOException e) {
                    now = false;
                }
            } else {
                now = trainedEpochs(net) >= 1;
            }
            if (now) {
                run.destroyForcibly().waitFor();
                return true;
            }
            LockSupport.parkNanos(100_000);
        }
        return false;
    }

    /** Epochs held by the checkpoint in {@code net} (0 when there is none yet, or it is being replaced). */
    private static int trainedEpochs(Path net) {
        try {
            Path file = net.resolve(Checkpoint.FILE_NAME);
            return Files.exists(file) ? Checkpoint.load(file).progress().epoch() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private void assertCompleted(Process run, Path dir) throws IOException {
        String output = Files.readString(tmp.resolve("launch-" + launches + ".log"));
        assertEquals(0, run.exitValue(), dir + ": " + output);
        assertTrue(output.contains("done"), dir + ": " + output);
    }

    private static Checkpoint checkpoint(Path dir) throws IOException {
        return Checkpoint.load(dir.resolve(CertifyKillTarget.NETWORK_DIR).resolve(Checkpoint.FILE_NAME));
    }
}
