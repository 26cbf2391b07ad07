package io.structflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import io.structflow.examples.support.Results;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** End-to-end runs of {@code approximate} and {@code vector-field} with tiny settings. */
class ApproximationCommandsTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    @SuppressWarnings("unchecked")
    void approximate_writesResultsAndPlots(@TempDir Path dir) throws Exception {
        int code = StructflowCli.commandLine().execute("approximate", "--epochs", "2", "--samples", "100",
                "--blocks", "1", "--out", dir.toString());
        assertEquals(0, code);
        Map<String, Object> results = Results.read(dir.resolve("results.json"));
        for (String key : new String[] {"f", "g"}) {
            Map<String, Object> entry = (Map<String, Object>) results.get(key);
            double max = ((Number) entry.get("max_error")).doubleValue();
            assertTrue(max > 0 && Double.isFinite(max), key + " max_error " + max);
            assertTrue(entry.containsKey("untrained_max_error") && entry.containsKey("rmse"));
        }
        for (String png : new String[] {"approximate-f.png", "approximate-g-slices.png", "approximate-g-error.png"}) {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void vectorField_writesResultsAndPlots(@TempDir Path dir) throws Exception {
        int code = StructflowCli.commandLine().execute("vector-field", "--epochs", "2", "--samples", "100",
                "--hidden", "8", "--out", dir.toString());
        assertEquals(0, code);
        Map<String, Object> results = Results.read(dir.resolve("results.json"));
        for (String key : new String[] {"x1", "x2"}) {
            Map<String, Object> entry = (Map<String, Object>) results.get(key);
            for (String metric : new String[] {"max_error", "relative_l2_error"}) {
                double v = ((Number) entry.get(metric)).doubleValue();
                assertTrue(v > 0 && Double.isFinite(v), key + " " + metric + " " + v);
            }
        }
        for (String png : new String[] {"vector-field-x2.png", "vector-field-x1-plane12.png",
                "vector-field-x1-plane34.png"}) {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
        }
    }

    @Test
    void badOptions_failWithAMessageNamingTheOption(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = StructflowCli.commandLine().setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("approximate", "--targets", "h", "--out", dir.toString()));
        assertTrue(err.toString().contains("--targets: expected a list of f, g but got 'h'"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("vector-field", "--composition", "strang", "--out", dir.toString()));
        assertTrue(err.toString().contains("composition: expected lie-trotter or symmetric but got 'strang'"),
                err.toString());
    }
}
