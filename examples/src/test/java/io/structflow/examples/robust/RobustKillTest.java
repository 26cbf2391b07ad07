package io.structflow.examples.robust;

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
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of training: {@link RobustKillTarget} runs in its own JVM and is killed with
 * SIGKILL ({@link Process#destroyForcibly()}) at {@value #KILLS} seeded random moments: a
 * uniform time over a whole run (JVM start, before the first checkpoint, between checkpoints,
 * during the evaluation) or the moment a checkpoint's temporary file appears (during a save).
 * Each kill is followed by a rerun in the same directory, chained up to {@value #KILLS_PER_ROUND}
 * kills, and then a rerun to the end. After every kill the checkpoint, if there is one, loads;
 * every completed run ends with the parameters, optimiser and constraint state of an
 * uninterrupted run, bit for bit, the same evaluation, and no temporary file.
 */
class RobustKillTest {
    private static final int KILLS = 20;
    private static final int KILLS_PER_ROUND = 5;
    private static final long SEED = 20;

    @TempDir
    Path tmp;
    private Path data;
    private int launches;

    @Test
    void sigkillAtRandomMoments_rerunsEndBitForBitAsAnUninterruptedRun() throws Exception {
        long t0 = System.nanoTime();
        Backend.init();
        data = FashionMnistSubset.write(FashionMnist.load(), 256, 32, tmp.resolve("data"));
        Path reference = tmp.resolve("reference");
        Process whole = launch(reference);
        assertTrue(whole.waitFor(90, TimeUnit.SECONDS), "the uninterrupted run finishes");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertCompleted(whole, reference);
        Checkpoint expected = checkpoint(reference);
        Map<String, Object> expectedResults = Results.read(reference.resolve("results.json"));

        Random random = new Random(SEED);
        Map<String, Integer> moments = new TreeMap<>();
        int kills = 0;
        int round = 0;
        int inRound = 0;
        Path dir = tmp.resolve("round-0");
        while (kills < KILLS) {
            Process run = launch(dir);
            boolean atSave = random.nextInt(10) < 3;
            boolean killed = atSave ? killWhenSaving(run, dir) : killAfter(run, (long) (random.nextDouble() * seconds * 1e9));
            if (killed) {
                kills++;
                inRound++;
                moments.merge(moment(dir), 1, Integer::sum);
                if (Files.exists(dir.resolve(RobustKillTarget.NETWORK_DIR).resolve(Checkpoint.FILE_NAME))) {
                    checkpoint(dir); // never unreadable
                }
            } else {
                assertCompleted(run, dir);
            }
            if (!killed || inRound == KILLS_PER_ROUND || kills == KILLS) {
                if (killed) {
                    Process rest = launch(dir);
                    assertTrue(rest.waitFor(90, TimeUnit.SECONDS), "the rerun finishes");
                    assertCompleted(rest, dir);
                }
                assertEquals(Optional.empty(), expected.firstDifference(checkpoint(dir)), "round " + round);
                Map<String, Object> results = Results.read(dir.resolve("results.json"));
                for (String key : List.of("clean_accuracy", "lipschitz_bound")) {
                    assertEquals(expectedResults.get(key), results.get(key), "round " + round + ": " + key);
                }
                assertNoTemporaryFile(dir);
                round++;
                inRound = 0;
                dir = tmp.resolve("round-" + round);
            }
        }
        double total = (System.nanoTime() - t0) / 1e9;
        System.out.printf("RobustKillTest: %d kills (%s) in %d rounds, %d launches, %.1f s (one whole run %.1f s)%n",
                kills, moments, round, launches, total, seconds);
        assertTrue(total < 120, "the test takes " + total + " s");
    }

    private Process launch(Path dir) throws IOException {
        launches++;
        Path log = tmp.resolve("launch-" + launches + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:TieredStopAtLevel=1", "-Dorg.bytedeco.javacpp.maxphysicalbytes=3G",
                "-cp", System.getProperty("java.class.path"), RobustKillTarget.class.getName(), dir.toString(),
                data.toString());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Kills {@code run} after {@code nanos} unless it ends first; whether it was killed. */
    private static boolean killAfter(Process run, long nanos) throws InterruptedException {
        if (run.waitFor(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        run.destroyForcibly().waitFor();
        return true;
    }

    /** Kills {@code run} as soon as a checkpoint's temporary file exists, unless it ends first. */
    private static boolean killWhenSaving(Process run, Path dir) throws InterruptedException, IOException {
        Path net = dir.resolve(RobustKillTarget.NETWORK_DIR);
        while (run.isAlive()) {
            if (!temporaryFiles(net).isEmpty()) {
                run.destroyForcibly().waitFor();
                return true;
            }
            LockSupport.parkNanos(100_000);
        }
        return false;
    }

    private static List<Path> temporaryFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        } catch (java.io.UncheckedIOException e) {
            return List.of(); // a temporary file renamed while listed: none left
        }
    }

    /** Where the killed run was: before the first checkpoint, during a save, between saves, or during the evaluation. */
    private static String moment(Path dir) throws IOException {
        Path net = dir.resolve(RobustKillTarget.NETWORK_DIR);
        if (!temporaryFiles(net).isEmpty()) {
            return "during a save";
        }
        if (!Files.exists(net.resolve(Checkpoint.FILE_NAME))) {
            return "before the first checkpoint";
        }
        return checkpoint(dir).progress().epoch() == RobustKillTarget.EPOCHS ? "during the evaluation" : "between saves";
    }

    private void assertCompleted(Process run, Path dir) throws IOException {
        Path log = tmp.resolve("launch-" + launches + ".log");
        String output = Files.readString(log);
        assertEquals(0, run.exitValue(), dir + ": " + output);
        assertTrue(output.contains("done"), dir + ": " + output);
    }

    private static Checkpoint checkpoint(Path dir) throws IOException {
        return Checkpoint.load(dir.resolve(RobustKillTarget.NETWORK_DIR).resolve(Checkpoint.FILE_NAME));
    }

    private static void assertNoTemporaryFile(Path dir) throws IOException {
        assertEquals(List.of(), temporaryFiles(dir), dir + ": temporary files left");
    }
}
