package io.structflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import io.structflow.examples.support.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code denoise --spark local[2]} against the same run in one JVM: the same results.json but for times. */
class DenoiseOnSparkTest {
    /** A tiny protocol: two runs (seeds 3 and 4), each trains Euler, RK4 and DnCNN for a few steps. */
    private static final List<String> TINY = List.of("denoise", "--quick", "--seed", "3", "--runs", "2", "--steps", "4",
            "--rk4-steps", "2", "--patch", "12", "--test-size", "16", "--repeats", "3", "--channels", "2", "--hidden", "3",
            "--layers", "2", "--dncnn-features", "3", "--dncnn-depth", "2");

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    @SuppressWarnings("unchecked")
    void denoiseOnSpark_twoRuns_writesTheResultsOfOneJvmButForTimes(@TempDir Path dir) throws Exception {
        Map<String, Object> local = run(dir.resolve("local"));
        Map<String, Object> spark = run(dir.resolve("spark"), "--spark", "local[2]");
        assertEquals(local.keySet(), spark.keySet());
        for (Map<String, Object> r : List.of(local, spark)) {
            r.remove("seconds");
            for (Object model : ((Map<String, Object>) r.get("models")).values()) {
                assertTrue(((Map<String, Object>) model).remove("train_seconds") != null);
            }
        }
        assertEquals(local, spark);
        List<Number> euler = (List<Number>) ((Map<String, Object>) local.get("psnr_runs")).get("euler");
        assertNotEquals(euler.get(0), euler.get(1), "the two runs differ (their seeds do)");
        for (String png : List.of("denoise_strip.png", "repeated_psnr.png", "training_loss.png")) {
            assertEquals(-1L, Files.mismatch(dir.resolve("local").resolve(png), dir.resolve("spark").resolve(png)), png);
        }
    }

    private static Map<String, Object> run(Path out, String... extra) throws Exception {
        String[] args = Stream.concat(Stream.concat(TINY.stream(), Stream.of(extra)), Stream.of("--out", out.toString()))
                .toArray(String[]::new);
        assertEquals(0, StructflowCli.commandLine().execute(args), String.join(" ", args));
        return Results.read(out.resolve("results.json"));
    }
}
