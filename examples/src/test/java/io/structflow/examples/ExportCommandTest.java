package io.structflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.structflow.core.Backend;
import io.structflow.core.io.SafeTensors;
import io.structflow.core.optim.Sgd;
import io.structflow.core.train.Checkpoint;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.RobustNetworks;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;

/** {@code structflow export}: a robust run directory to ONNX and safetensors, and its bad input. */
class ExportCommandTest {
    private static final Architecture ARCH = new Architecture(new int[] {2, 4}, 1, 2, 0.5, true, DataType.FLOAT, 3);

    @TempDir
    Path tmp;

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    /** A run directory as 'structflow robust' leaves it: config.json and a checkpoint of {@code arch}'s network. */
    private Path runDirectory(String name, Architecture configured, Architecture checkpointed) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("network", NetworkKind.PRESCRIBED.key());
        config.put("architecture", configured.toMap());
        Files.write(dir.resolve("config.json"), new ObjectMapper().writeValueAsBytes(config));
        RobustNetworks.Network net = RobustNetworks.build(NetworkKind.PRESCRIBED, checkpointed, 10);
        Checkpoint.save(dir.resolve(Checkpoint.FILE_NAME), net.model(), new Sgd(net.model(), Sgd.Config.plain(0.1)),
                new Checkpoint.Progress(1, 0, 10, 1, 0.1, 0, 0, 0));
        return dir;
    }

    private record Outcome(int code, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = StructflowCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return new Outcome(cli.execute(args), err.toString());
    }

    @Test
    void export_safetensors_holdsTheCheckpointsWeights() throws IOException {
        Path dir = runDirectory("run", ARCH, ARCH);
        Path out = tmp.resolve("out");
        assertEquals(0, run("export", "--model", dir.toString(), "--format", "safetensors", "--out", out.toString()).code);
        Map<String, INDArray> saved = Checkpoint.load(dir.resolve(Checkpoint.FILE_NAME)).parameters();
        Map<String, INDArray> exported = SafeTensors.read(out.resolve("prescribed.safetensors")).tensors();
        assertEquals(saved.keySet(), exported.keySet());
        saved.forEach((n, a) -> assertEquals(a, exported.get(n), n));
    }

    @Test
    void export_onnx_writesAnOnnxModel() throws IOException {
        Path dir = runDirectory("run", ARCH, ARCH);
        Path out = tmp.resolve("out");
        assertEquals(0, run("export", "--model", dir.toString(), "--format", "onnx", "--out", out.toString()).code);
        byte[] bytes = Files.readAllBytes(out.resolve("prescribed.onnx"));
        assertEquals(0x08, bytes[0], "ModelProto.ir_version first");
        assertEquals(8, bytes[1]);
        assertTrue(bytes.length > 1000, "weights included: " + bytes.length + " bytes");
    }

    @Test
    void export_badInput_exitsTwoWithOneLine() throws IOException {
        Outcome missing = run("export", "--model", tmp.resolve("none").toString(), "--format", "onnx", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, missing.code);
        assertTrue(missing.err.strip().lines().count() == 1 && missing.err.contains("config.json"), missing.err);

        Outcome format = run("export", "--model", tmp.toString(), "--format", "pdf");
        assertEquals(2, format.code);
        assertTrue(format.err.contains("--format") && format.err.contains("pdf"), format.err);

        Architecture other = new Architecture(new int[] {3, 4}, 1, 2, 0.5, true, DataType.FLOAT, 3);
        Path mismatched = runDirectory("mismatched", ARCH, other);
        Outcome wrong = run("export", "--model", mismatched.toString(), "--format", "onnx", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, wrong.code);
        assertTrue(wrong.err.strip().lines().count() == 1 && wrong.err.contains("tensor \"0.weight\"")
                && wrong.err.contains("[2, 1, 3, 3]") && wrong.err.contains("[3, 1, 3, 3]"), wrong.err);
    }
}
