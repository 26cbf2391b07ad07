package io.structflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.examples.support.Results;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** End-to-end runs of the sir, pendulum, oscillator and deep-sympnet sub-commands with tiny settings. */
class DynamicsCommandsTest {
    @TempDir
    Path dir;

    private static int run(Object command, String... args) {
        return new CommandLine(command).execute(args);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> json, String key) {
        assertTrue(json.containsKey(key), "results.json has no key " + key + ": " + json.keySet());
        return (Map<String, Object>) json.get(key);
    }

    private static double number(Map<String, Object> json, String key) {
        assertTrue(json.containsKey(key), "results.json has no key " + key + ": " + json.keySet());
        return ((Number) json.get(key)).doubleValue();
    }

    @Test
    void sir_tinyRun_writesResultsAndFigures() throws Exception {
        Path out = dir.resolve("sir");
        assertEquals(0, run(new SirCommand(), "--epochs", "2", "--train", "128", "--test", "64", "--batch", "32",
                "--layers", "3", "--rollout", "3", "--out", out.toString()));
        Map<String, Object> json = Results.read(out.resolve("results.json"));
        assertTrue(number(json, "test_mse") < number(json, "identity_mse"));
        assertTrue(number(json, "max_mass_error") <= 1e-12, "float64 mass error " + json.get("max_mass_error"));
        assertEquals("float64", json.get("dtype"));
        for (String png : new String[] {"sir_rollout.png", "sir_mass.png", "sir_loss.png"}) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
    }

    @Test
    void pendulum_tinyRun_writesPerModelResultsAndFigures() throws Exception {
        Path out = dir.resolve("pendulum");
        assertEquals(0, run(new PendulumCommand(), "--epochs", "2", "--train", "256", "--test", "64", "--batch", "128",
                "--rollout", "20", "--orbits", "1", "--out", out.toString()));
        Map<String, Object> json = Results.read(out.resolve("results.json"));
        number(json, "identity_mse");
        for (String model : new String[] {"sympnet", "hamiltonian", "resnet"}) {
            Map<String, Object> m = entry(json, model);
            for (String key : new String[] {"test_mse", "symplecticity_residual", "energy_error"}) {
                assertTrue(m.get(key) instanceof Number, model + "." + key + " = " + m.get(key));
            }
            assertTrue(Files.size(out.resolve("pendulum_phase_" + model + ".png")) > 1000, model);
        }
        assertTrue(((Number) entry(json, "sympnet").get("symplecticity_residual")).doubleValue() <= 1e-5);
        assertTrue(Files.size(out.resolve("pendulum_energy.png")) > 1000);
        assertTrue(Files.size(out.resolve("pendulum_loss.png")) > 1000);
    }

    @Test
    void oscillator_run_writesPerMethodEnergiesAndFigures() throws Exception {
        Path out = dir.resolve("oscillator");
        assertEquals(0, run(new OscillatorCommand(), "--steps", "50", "--out", out.toString()));
        Map<String, Object> json = Results.read(out.resolve("results.json"));
        double h0 = number(json, "initial_energy");
        assertEquals(0.5, h0, 1e-15);
        assertEquals(h0 * Math.pow(1.01, 50), ((Number) entry(json, "explicit_euler").get("final_energy")).doubleValue(),
                1e-12);
        assertTrue(((Number) entry(json, "implicit_midpoint").get("max_energy_error")).doubleValue() <= 1e-10);
        assertTrue(((Number) entry(json, "symplectic_euler").get("max_energy_error")).doubleValue() < 0.1 * h0);
        for (String png : new String[] {"oscillator_phase.png", "oscillator_energy.png", "oscillator_energy_error.png"}) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
    }

    @Test
    void deepSympnet_tinyRun_learnsTheFlowMapWithReversibleGradients() throws Exception {
        Path out = dir.resolve("deep-sympnet");
        assertEquals(0, run(new DeepSympNetCommand(), "--depth", "40", "--epochs", "3", "--train", "256", "--test", "64",
                "--batch", "64", "--lr", "3e-3", "--out", out.toString()));
        Map<String, Object> json = Results.read(out.resolve("results.json"));
        assertTrue(number(json, "test_mse") < 0.5 * number(json, "identity_mse"), json.toString());
        assertTrue(number(json, "symplecticity_residual") <= 1e-5, "float32 residual " + json.get("symplecticity_residual"));
        assertTrue(number(json, "gradient_difference") < 1e-4, "float32 gradient gap " + json.get("gradient_difference"));
        assertTrue(number(json, "reconstruction_drift") < 1e-5, "float32 drift " + json.get("reconstruction_drift"));
        assertEquals(40, number(json, "depth"));
        assertTrue(Files.size(out.resolve("deep_sympnet_loss.png")) > 1000);
    }

    @Test
    void badOptions_failWithAMessageNamingTheOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = StructflowCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("pendulum", "--models", "sympnet,lstm", "--out", dir.resolve("bad").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("--models") && err.toString().contains("lstm"), err.toString());

        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        CommandLine sir = StructflowCli.commandLine();
        sir.setErr(new PrintWriter(err2, true));
        assertEquals(2, sir.execute("sir", "--width", "3", "--out", dir.resolve("bad2").toString()));
        assertTrue(err2.toString().contains("width"), err2.toString());
        assertTrue(!Files.exists(dir.resolve("bad2")), "nothing written for a rejected command");
    }
}
