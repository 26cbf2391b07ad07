package io.structflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/** End-to-end tiny runs of {@code denoise} and {@code deblur}: results.json keys and PNG files. */
class PnpCommandsTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    @SuppressWarnings("unchecked")
    void denoise_tinyRun_writesResultsAndImages(@TempDir Path dir) throws Exception {
        int code = StructflowCli.commandLine().execute("denoise", "--quick", "--steps", "6", "--rk4-steps", "2",
                "--patch", "16", "--test-size", "24", "--repeats", "3", "--channels", "2", "--hidden", "4", "--layers", "2",
                "--dncnn-features", "4", "--dncnn-depth", "3", "--self-ensemble", "--out", dir.toString());
        assertEquals(0, code);
        Map<String, Object> r = Results.read(dir.resolve("results.json"));
        Map<String, Object> psnr = (Map<String, Object>) r.get("psnr");
        for (String m : List.of("noisy", "tv", "euler", "rk4", "dncnn")) {
            double v = ((Number) psnr.get(m)).doubleValue();
            assertTrue(v > 5 && v < 60, m + " PSNR " + v);
        }
        Map<String, Object> ensemble = (Map<String, Object>) r.get("psnr_self_ensemble");
        for (String m : List.of("euler", "rk4", "dncnn")) {
            double v = ((Number) ensemble.get(m)).doubleValue();
            double plain = ((Number) psnr.get(m)).doubleValue();
            assertTrue(Math.abs(v - plain) < 3, m + ": self-ensemble PSNR " + v + " against " + plain);
        }
        assertEquals(0.1, ((Number) r.get("noise_sigma")).doubleValue(), 0.0);
        assertEquals(List.of("camera.png", "coins.png"), r.get("test_images"));
        Map<String, Object> models = (Map<String, Object>) r.get("models");
        Map<String, Object> euler = (Map<String, Object>) models.get("euler");
        assertEquals(1.0, ((Number) euler.get("lipschitz_bound")).doubleValue(), 0.0);
        assertTrue(((Number) euler.get("empirical_lipschitz_ratio")).doubleValue() <= 1 + 1e-4);
        assertTrue(((Number) euler.get("parameters")).intValue() > 0);
        Map<String, Object> repeated = (Map<String, Object>) r.get("repeated_psnr");
        assertTrue(((Map<String, Object>) repeated.get("dncnn")).containsKey("k3"));
        for (String png : List.of("denoise_strip.png", "repeated_euler.png", "repeated_rk4.png", "repeated_dncnn.png",
                "repeated_psnr.png", "training_loss.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 500, png);
        }
    }

    @Test
    void deblur_tinyRun_writesResultsAndImages(@TempDir Path dir) throws Exception {
        int code = StructflowCli.commandLine().execute("deblur", "--quick", "--steps", "6", "--patch", "16",
                "--size", "24", "--iterations", "15", "--channels", "2", "--hidden", "4", "--layers", "2",
                "--out", dir.toString());
        assertEquals(0, code);
        Map<String, Object> r = Results.read(dir.resolve("results.json"));
        for (String key : List.of("psnr_blurred", "psnr_pnp", "final_relative_change")) {
            assertTrue(r.get(key) instanceof Number, key);
        }
        assertTrue(((Number) r.get("psnr_blurred")).doubleValue() > 5);
        assertTrue(((Number) r.get("max_change_ratio")).doubleValue() <= 1 + 1e-5);
        assertEquals(15, ((List<?>) r.get("changes")).size());
        for (String png : List.of("deblur_strip.png", "pnp_convergence.png", "pnp_psnr.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 500, png);
        }
    }

    @Test
    void badOptions_failWithAMessageNamingTheOption(@TempDir Path dir) {
        for (String[] args : List.of(new String[] {"denoise", "--data", "bsds"}, new String[] {"denoise", "--sigma", "-1"},
                new String[] {"deblur", "--step-fraction", "1.5"}, new String[] {"denoise", "--data", "fmnist", "--test-size", "20"},
                new String[] {"deblur", "--data", "bsds"}, new String[] {"denoise", "--activation", "sigmoid"},
                new String[] {"deblur", "--state-scale", "0"}, new String[] {"deblur", "--lr", "-1"},
                new String[] {"denoise", "--layers", "0"}, new String[] {"deblur", "--kernel", "4"})) {
            StringWriter err = new StringWriter();
            CommandLine cli = StructflowCli.commandLine();
            cli.setErr(new PrintWriter(err));
            String[] full = new String[args.length + 2];
            System.arraycopy(args, 0, full, 0, args.length);
            full[args.length] = "--out";
            full[args.length + 1] = dir.toString();
            assertNotEquals(0, cli.execute(full), String.join(" ", args));
            String option = args[args.length - 2];
            assertTrue(err.toString().contains(option) || err.toString().contains(option.substring(2)),
                    String.join(" ", args) + " → " + err);
            assertTrue(err.toString().startsWith("structflow " + args[0] + ": ") && !err.toString().contains("\tat "),
                    "one line naming the command, no stack trace: " + err);
        }
    }
}
