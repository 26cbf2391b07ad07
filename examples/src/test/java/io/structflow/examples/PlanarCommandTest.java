package io.structflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import io.structflow.examples.support.Results;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PlanarCommandTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    @SuppressWarnings("unchecked")
    void planar_tinyRun_writesResultsAndPlots(@TempDir Path dir) throws Exception {
        int code = StructflowCli.commandLine().execute("planar", "--runs", "2", "--epochs", "3",
                "--train-size", "256", "--test-size", "200", "--out", dir.toString());
        assertEquals(0, code);
        Map<String, Object> r = Results.read(dir.resolve("results.json"));
        for (String family : List.of("alternating", "expansive", "contractive")) {
            Map<String, Object> f = (Map<String, Object>) r.get(family);
            double acc = ((Number) f.get("median_accuracy")).doubleValue();
            assertTrue(acc >= 0 && acc <= 1, family + " accuracy " + acc);
            assertTrue(((Number) f.get("median_final_time")).doubleValue() > 0, family);
            assertEquals(2, ((List<?>) f.get("accuracies")).size());
            assertEquals(2, ((List<?>) f.get("final_times")).size());
            assertEquals(2, ((List<?>) f.get("steps")).size());
            assertEquals(10, ((List<?>) ((List<?>) f.get("steps")).get(0)).size());
            assertTrue(f.containsKey("paper_median_accuracy") && f.containsKey("paper_median_final_time"));
            assertEquals(0.0, ((Number) f.get("max_step_violation")).doubleValue(), family);
            assertTrue(Files.size(dir.resolve("decision_" + family + ".png")) > 10_000, family + " plot");
        }
        Map<String, Object> settings = (Map<String, Object>) r.get("settings");
        assertEquals("disc", settings.get("dataset"));
        assertEquals(3, ((Number) settings.get("epochs")).intValue());
        assertTrue(r.containsKey("paper"));
        assertTrue(Files.size(dir.resolve("steps.png")) > 5_000);
    }

    @Test
    void planar_badOptions_failWithAMessageNamingTheOption(@TempDir Path dir) {
        for (String[] args : List.of(new String[] {"--dataset", "circles"}, new String[] {"--families", "alternating,deep"},
                new String[] {"--layers", "7"}, new String[] {"--contractive-step", "3"}, new String[] {"--runs", "0"})) {
            StringWriter err = new StringWriter();
            CommandLine cli = StructflowCli.commandLine();
            cli.setErr(new PrintWriter(err));
            String[] full = new String[args.length + 3];
            full[0] = "planar";
            System.arraycopy(args, 0, full, 1, args.length);
            full[args.length + 1] = "--out";
            full[args.length + 2] = dir.toString();
            int code = cli.execute(full);
            assertEquals(2, code, String.join(" ", args));
            String option = args[0];
            assertTrue(err.toString().contains(option), err.toString());
        }
    }
}
