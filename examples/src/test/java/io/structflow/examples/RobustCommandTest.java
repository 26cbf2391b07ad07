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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RobustCommandTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    @SuppressWarnings("unchecked")
    void robust_tinyRun_writesResultsAndFigures(@TempDir Path out) throws Exception {
        int code = StructflowCli.commandLine().execute("robust", "--train-images", "256", "--test-images", "32",
                "--epochs", "1", "--channels", "4,8", "--pairs", "1", "--eps-points", "3", "--attack-batch", "32",
                "--out", out.toString());
        assertEquals(0, code);
        Map<String, Object> r = Results.read(out.resolve("results.json"));
        assertEquals(List.of(0.0, 0.5, 1.0), r.get("epsilons"));
        Map<String, Object> nets = (Map<String, Object>) r.get("networks");
        assertEquals(List.of("prescribed", "flexible", "non_expansive", "naive", "resnet"), List.copyOf(nets.keySet()));
        for (Object v : nets.values()) {
            Map<String, Object> n = (Map<String, Object>) v;
            for (String key : List.of("clean_accuracy", "auc", "auc_strong", "certified_auc", "lipschitz_bound",
                    "robust_accuracy", "robust_accuracy_strong", "certified_accuracy")) {
                assertTrue(n.containsKey(key), key);
            }
            assertEquals(3, ((List<?>) n.get("robust_accuracy")).size());
            assertEquals(3, ((List<?>) n.get("certified_accuracy")).size());
        }
        assertTrue(((Map<String, Object>) nets.get("flexible")).containsKey("learned_steps"));
        assertTrue(r.containsKey("quality_bars"));
        for (String png : List.of("accuracy_vs_epsilon.png", "accuracy_vs_epsilon_strong.png", "certified_accuracy.png",
                "flexible_steps.png")) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
        assertTrue(Files.exists(out.resolve("prescribed").resolve("checkpoint.zip")));
    }

    @Test
    void robust_badOptionsAndMissingData_fail(@TempDir Path out) {
        assertNotEquals(0, StructflowCli.commandLine().execute("robust", "--networks", "lenet", "--out",
                out.toString()));
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = StructflowCli.commandLine();
        cli.setErr(new java.io.PrintWriter(err, true));
        assertEquals(2, cli.execute("robust", "--data", out.resolve("none").toString(), "--out", out.toString()));
        assertTrue(err.toString().contains("apt-get install -y dataset-fashion-mnist"), err.toString());
    }
}
