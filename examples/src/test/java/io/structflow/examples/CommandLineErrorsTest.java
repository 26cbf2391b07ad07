package io.structflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import io.structflow.examples.support.Results;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Bad input on the command line: one line {@code structflow <cmd>: <message>} naming the option,
 * exit status 2, no stack trace (unless {@code --debug}), and nothing done before the check. The
 * cases are listed in {@code docs/reliability.md}.
 */
class CommandLineErrorsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    /** Exit status and what a run printed. */
    private record Outcome(int exitCode, String out, String err) {
        /** The one line of standard error, checked to be the only one. */
        String errorLine() {
            String[] lines = err.strip().split("\n");
            assertEquals(1, lines.length, "one line expected but got:\n" + err);
            return lines[0];
        }
    }

    /** Runs {@code structflow args…} in-process through {@link StructflowCli#commandLine()}. */
    private static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = System.out;
        int code;
        try (PrintStream captured = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(captured);
            CommandLine cli = StructflowCli.commandLine();
            cli.setOut(new PrintWriter(captured, true));
            cli.setErr(new PrintWriter(err, true));
            code = cli.execute(args);
        } finally {
            System.setOut(console);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    private static String out(String name) {
        return dir.resolve(name).toString();
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(new String[] {"oscillator", "--steps", "-5"}, "structflow oscillator: --steps: expected ≥ 1 but got -5"),
                Arguments.of(new String[] {"oscillator", "--h", "0"}, "structflow oscillator: --h: expected a finite value > 0 but got 0.0"),
                Arguments.of(new String[] {"demo", "--epochs", "-1"}, "structflow demo: --epochs: expected ≥ 1 but got -1"),
                Arguments.of(new String[] {"demo", "--width", "0"}, "structflow demo: --width: expected ≥ 1 but got 0"),
                Arguments.of(new String[] {"demo", "--epochs", "abc"},
                        "structflow demo: Invalid value for option '--epochs': 'abc' is not an int; see 'structflow demo --help'"),
                Arguments.of(new String[] {"sir", "--dtype", "float16"}, "structflow sir: Invalid value for option '--dtype': "
                        + "expected float32 or float64 but got 'float16'; see 'structflow sir --help'"),
                Arguments.of(new String[] {"sir", "--runs", "0"}, "structflow sir: --runs: expected ≥ 1 but got 0"),
                Arguments.of(new String[] {"sir", "--width", "3"}, "structflow sir: --width: expected ≥ 4 but got 3"),
                Arguments.of(new String[] {"sir", "--lr", "1e-3", "--lr-final", "1e-2"},
                        "structflow sir: --lr-final: expected a value in (0, --lr = 0.001] but got 0.01"),
                Arguments.of(new String[] {"pendulum", "--epochs", "0"}, "structflow pendulum: --epochs: expected ≥ 1 but got 0"),
                Arguments.of(new String[] {"pendulum", "--models", "sympnet,lstm"},
                        "structflow pendulum: --models: expected names from sympnet, hamiltonian, resnet but got 'lstm'"),
                Arguments.of(new String[] {"pendulum", "--train", "10"}, "structflow pendulum: --batch: expected at most --train = 10 "
                        + "but got 256"),
                Arguments.of(new String[] {"deep-sympnet", "--depth", "0"}, "structflow deep-sympnet: --depth: expected ≥ 1 but got 0"),
                Arguments.of(new String[] {"deep-sympnet", "--train", "100"}, "structflow deep-sympnet: --batch: expected at most "
                        + "--train = 100 but got 256"),
                Arguments.of(new String[] {"denoise", "--patch", "2"}, "structflow denoise: --patch: expected ≥ 4 but got 2"),
                Arguments.of(new String[] {"planar", "--layers", "7"}, null),
                Arguments.of(new String[] {"planar", "--batch-size", "0"}, "structflow planar: --batch-size: expected ≥ 1 but got 0"),
                Arguments.of(new String[] {"approximate", "--width", "1"}, "structflow approximate: --width: expected ≥ 2 but got 1"),
                Arguments.of(new String[] {"approximate", "--gradient", "radial"}, "structflow approximate: --gradient: gradient "
                        + "kind: expected general, contractive, expansive or alternating but got 'radial'"),
                Arguments.of(new String[] {"vector-field", "--composition", "strang"}, "structflow vector-field: --composition: "
                        + "composition: expected lie-trotter or symmetric but got 'strang'"),
                Arguments.of(new String[] {"vector-field", "--step", "-0.05"},
                        "structflow vector-field: --step: expected a finite value > 0 but got -0.05"),
                Arguments.of(new String[] {"robust", "--quick", "--full"}, "structflow robust: --quick and --full: expected at most one but got both"),
                Arguments.of(new String[] {"robust", "--runs", "2"}, "structflow robust: --runs: expected 1 (one seed per network; "
                        + "vary --seed and --out for more) but got 2"),
                Arguments.of(new String[] {"robust", "--test-images", "10001"},
                        "structflow robust: --test-images: expected 1 to 10000 but got 10001"),
                Arguments.of(new String[] {"robust", "--local-sgd", "8"},
                        "structflow robust: --local-sgd: expected together with --spark but got it alone"),
                Arguments.of(new String[] {"robust", "--spark", "spark://127.0.0.1:1"}, null),
                Arguments.of(new String[] {"planar", "--spark", "spark://127.0.0.1:1"}, null),
                Arguments.of(new String[] {"denoise", "--spark", "spark://127.0.0.1:1"}, null),
                Arguments.of(new String[] {"denoise", "--spark", "local[0]"}, "structflow denoise: --spark: expected a master URL"
                        + " (local, local[N], local[N,F], local[*], spark://host:7077, yarn, k8s://host:port) but got \"local[0]\""),
                Arguments.of(new String[] {"planar", "--spark", "foo"}, "structflow planar: --spark: expected a master URL"
                        + " (local, local[N], local[N,F], local[*], spark://host:7077, yarn, k8s://host:port) but got \"foo\""),
                Arguments.of(new String[] {"certify", "--channels", "4,8"}, "structflow certify: --channels: stage 1 "
                        + "expected at least 16 channels (4× the previous stage's, after the 2×2 unshuffle) but got 8"),
                Arguments.of(new String[] {"certify", "--slope", "0"}, "structflow certify: --slope: expected 0 < a ≤ 1 but got 0.0"),
                Arguments.of(new String[] {"certify", "--dense-layers", "-1"},
                        "structflow certify: --dense-layers: expected ≥ 0 but got -1"),
                Arguments.of(new String[] {"certify", "--dense-width", "0"}, "structflow certify: --dense-width: expected ≥ 1 but got 0"),
                Arguments.of(new String[] {"certify", "--shift", "9"}, "structflow certify: --shift: expected 0 to 8 pixels but got 9"),
                Arguments.of(new String[] {"certify", "--networks", "lenet"}, "structflow certify: --networks: expected one of "
                        + "[cpl, orthogonal_switching] or 'all' but got 'lenet'"),
                Arguments.of(new String[] {"certify", "--head", "softmax"}, "structflow certify: --head: expected one of "
                        + "[scaled, row_normalised] but got 'softmax'"),
                Arguments.of(new String[] {"denoise", "--sigma", "-1"}, "structflow denoise: --sigma: expected a finite value > 0 but got -1.0"),
                Arguments.of(new String[] {"denoise", "--test-size", "4"}, "structflow denoise: --test-size: expected ≥ 8 but got 4"),
                Arguments.of(new String[] {"deblur", "--blur-length", "0"}, "structflow deblur: --blur-length: expected ≥ 1 but got 0"),
                Arguments.of(new String[] {"deblur", "--kernel", "4"}, "structflow deblur: --kernel: expected an odd integer ≥ 1 but got 4"));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void badOption_printsOneLineNamingTheOption_exits2_beforeAnyWork(String[] args, String expected) {
        String[] withOut = Stream.concat(Stream.of(args), Stream.of("--out", out("bad-" + args[0]))).toArray(String[]::new);
        Outcome o = run(withOut);
        assertEquals(2, o.exitCode(), String.join(" ", args) + " → " + o.err());
        String line = o.errorLine();
        if (expected != null) {
            assertEquals(expected, line);
        } else {
            assertTrue(line.startsWith("structflow " + args[0] + ": " + args[1] + ": "), line);
        }
        assertTrue(o.out().isEmpty(), "nothing printed before the check: " + o.out());
        assertFalse(Files.exists(dir.resolve("bad-" + args[0])), "nothing written for a rejected command");
    }

    @Test
    void unknownOption_printsOneLineAndWhereTheHelpIs() {
        Outcome o = run("oscillator", "--bogus");
        assertEquals(2, o.exitCode());
        assertEquals("structflow oscillator: Unknown option: '--bogus'; see 'structflow oscillator --help'", o.errorLine());
    }

    @Test
    void sharedOptionACommandDoesNotTake_isUnknown() {
        Outcome o = run("oscillator", "--seed", "3");
        assertEquals(2, o.exitCode());
        assertEquals("structflow oscillator: Unknown options: '--seed', '3'; see 'structflow oscillator --help'", o.errorLine());
    }

    @Test
    void unknownCommand_printsOneLineAndWhereTheHelpIs() {
        Outcome o = run("lenet");
        assertEquals(2, o.exitCode());
        assertEquals("structflow: Unmatched argument at index 0: 'lenet'; see 'structflow --help'", o.errorLine());
    }

    @Test
    void helpCommand_printsTheUsageOfACommand() {
        Outcome o = run("help", "sir");
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("Usage: structflow sir") && o.out().contains("--epochs=<epochs>")
                && o.out().contains("(default 100; 400 with --full)"), o.out());
        assertTrue(run("help").out().contains("oscillator"));
    }

    @Test
    void outUnderProc_blamesOutWithTheCause() {
        Outcome o = run("robust", "--out", "/proc/x");
        assertEquals(2, o.exitCode());
        assertTrue(o.errorLine().startsWith("structflow robust: --out: cannot create /proc/x: "), o.errorLine());
        assertFalse(o.errorLine().contains("--data"), o.errorLine());
        Outcome oscillator = run("oscillator", "--out", "/proc/x");
        assertEquals(o.errorLine().replace("robust", "oscillator"), oscillator.errorLine());
    }

    @Test
    void outIsAFile_failsBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("occupied"), "x");
        Outcome o = run("denoise", "--quick", "--out", file.toString());
        assertEquals(2, o.exitCode());
        assertEquals("structflow denoise: --out: cannot create " + file + ": a file of that name is in the way",
                o.errorLine());
        assertFalse(o.out().contains("denoise:"), "no training before the check: " + o.out());
    }

    @Test
    void outUnderAFile_namesTheFileInTheWay() throws IOException {
        Path file = Files.writeString(dir.resolve("parent-file"), "x");
        Outcome o = run("oscillator", "--out", file.resolve("sub").toString());
        assertEquals(2, o.exitCode());
        assertEquals("structflow oscillator: --out: cannot create " + file.resolve("sub") + ": " + file
                + " is a file, not a directory", o.errorLine());
    }

    @Test
    void outNotWritable_namesTheCause() {
        Outcome o = run("oscillator", "--out", "/proc");
        assertEquals(2, o.exitCode());
        assertTrue(o.errorLine().startsWith("structflow oscillator: --out: cannot write in /proc (/proc/.write-check"),
                o.errorLine());
        assertTrue(o.out().isEmpty(), o.out());
    }

    @Test
    void missingFashionMnist_namesData() {
        Outcome o = run("robust", "--data", out("no-such-dir"), "--out", out("robust-missing"));
        assertEquals(2, o.exitCode());
        assertTrue(o.errorLine().startsWith("structflow robust: --data: " + out("no-such-dir") + ": Fashion-MNIST directory "
                + "not found (apt-get install -y dataset-fashion-mnist"), o.errorLine());
        assertFalse(o.out().contains("robust:"), "the data are checked before anything else: " + o.out());
    }

    @Test
    void garbageIdxFile_oneLineNoStackTrace() throws IOException {
        Path data = Files.createDirectories(dir.resolve("garbage-idx"));
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.writeString(data.resolve(name), "not an IDX file");
        }
        Outcome o = run("robust", "--data", data.toString(), "--out", out("robust-garbage"));
        assertEquals(2, o.exitCode());
        assertTrue(o.errorLine().startsWith("structflow robust: --data: "), o.errorLine());
        assertTrue(o.errorLine().contains("train-images-idx3-ubyte"), o.errorLine());
    }

    @Test
    void imageFolderWithoutTest_namesData() throws IOException {
        Path data = Files.createDirectories(dir.resolve("images-no-test").resolve("train"));
        Outcome o = run("deblur", "--data", data.getParent().toString(), "--out", out("deblur-no-test"));
        assertEquals(2, o.exitCode());
        assertEquals("structflow deblur: --data: expected skimage, fmnist or a directory holding train/ and test/ folders "
                + "of PNG or JPEG images, but " + data.getParent().toAbsolutePath() + " has no test/ folder", o.errorLine());
    }

    @Test
    void garbageCheckpoint_oneLineNoStackTrace() throws IOException {
        Path out = dir.resolve("robust-garbage-checkpoint");
        Path checkpoint = Files.createDirectories(out.resolve("non_expansive")).resolve("checkpoint.zip");
        byte[] garbage = new byte[3000];
        new Random(1).nextBytes(garbage);
        Files.write(checkpoint, garbage);
        Outcome o = run("robust", "--networks", "non_expansive", "--train-images", "64", "--test-images", "16", "--epochs",
                "1", "--channels", "4", "--pairs", "1", "--eps-points", "2", "--out", out.toString());
        assertEquals(2, o.exitCode(), o.err());
        assertTrue(o.errorLine().startsWith("structflow robust: ") && o.errorLine().contains("--fresh"), o.errorLine());
    }

    @Test
    void debug_addsTheStackTrace() throws IOException {
        Path file = Files.writeString(dir.resolve("occupied-debug"), "x");
        Outcome o = run("oscillator", "--debug", "--out", file.toString());
        assertEquals(2, o.exitCode());
        assertTrue(o.err().startsWith("structflow oscillator: --out: cannot create ") && o.err().contains("\tat "), o.err());
        assertFalse(run("oscillator", "--out", file.toString()).err().contains("\tat "));
    }

    @Test
    void demo_writesResultsJsonIntoOut() throws IOException {
        Path results = dir.resolve("demo");
        Outcome o = run("demo", "--epochs", "2", "--layers", "2", "--out", results.toString());
        assertEquals(0, o.exitCode(), o.err());
        Map<String, Object> json = Results.read(results.resolve("results.json"));
        assertEquals(2, ((List<?>) json.get("losses")).size());
        assertTrue(((Number) json.get("test_accuracy")).doubleValue() > 0.5);
        assertTrue(Files.size(results.resolve("demo_loss.png")) > 1000);
    }
}
