package io.structflow.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.io.ModelWeights;
import io.structflow.core.io.SafeTensors;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Module;
import io.structflow.core.optim.Adam;
import io.structflow.interop.ExampleNetworks.Example;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parity with PyTorch twins ({@code python/torch_twins.py}) of the planar classifier, the
 * CPL-style classifier, the SympNet and the Euler denoiser, in float32 and float64:
 * <ul>
 *   <li>PyTorch → structflow: weights initialised by PyTorch load into structflow, which reproduces
 *       the twin's outputs on a fixed input to 1e-6 (float32) / 1e-12 (float64), and saves them
 *       back bit-identical;</li>
 *   <li>structflow → PyTorch → structflow: weights trained a few Adam steps in structflow load in
 *       the twin with structflow's outputs, and the twin's state dict comes back exactly.</li>
 * </ul>
 * Runs when a {@code python3} with {@code torch} is found (Debian's {@code python3-torch}), and is
 * skipped with a message otherwise.
 */
class TorchParityTest {
    private static final Path SCRIPT = Path.of("python", "torch_twins.py");
    private static String python;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findPython() {
        for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch, numpy").redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    return;
                }
            } catch (IOException | InterruptedException e) {
                // try the next candidate
            }
        }
    }

    static Stream<Arguments> networks() {
        List<Arguments> all = new ArrayList<>();
        List<BiFunction<DataType, Long, Example>> builders = List.of(ExampleNetworks::planar, ExampleNetworks::cpl,
                ExampleNetworks::sympNet, ExampleNetworks::denoiser);
        for (BiFunction<DataType, Long, Example> b : builders) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                all.add(Arguments.of(b.apply(type, 0L).name(), type, b));
            }
        }
        return all.stream();
    }

    private static double tolerance(DataType type) {
        return type == DataType.FLOAT ? 1e-6 : 1e-12;
    }

    private static String dtype(DataType type) {
        return type == DataType.FLOAT ? "float32" : "float64";
    }

    private void runTwin(String... args) throws IOException, InterruptedException {
        assumeTrue(python != null, "no python3 with torch and numpy found (apt-get install python3-torch): "
                + "PyTorch parity not checked");
        List<String> command = new ArrayList<>(List.of(python, SCRIPT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the twin timed out: " + command);
        assertEquals(0, p.exitValue(), () -> command + " failed:\n" + output);
    }

    private static INDArray only(Path file, String name) throws IOException {
        return SafeTensors.read(file).tensors().get(name);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        assertTrue(worst <= tolerance, what + ": max |difference| " + worst + " > " + tolerance);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("networks")
    void torchWeights_loadInStructflow_reproduceTheTwinsOutputs(String name, DataType type,
                                                                BiFunction<DataType, Long, Example> build)
            throws IOException, InterruptedException {
        runTwin("make", name, dtype(type), "1", tmp.toString());
        Module model = build.apply(type, 99L).model();
        ModelWeights.load(model, tmp.resolve("weights.safetensors"));
        Tensor x = Tensor.constant(only(tmp.resolve("input.safetensors"), "x"));
        assertClose(only(tmp.resolve("output.safetensors"), "y"), model.forward(x).value(), tolerance(type),
                name + " PyTorch → structflow outputs");

        Path resaved = tmp.resolve("resaved.safetensors");
        ModelWeights.save(model, resaved);
        Map<String, INDArray> torch = SafeTensors.read(tmp.resolve("weights.safetensors")).tensors();
        Map<String, INDArray> ours = SafeTensors.read(resaved).tensors();
        assertEquals(torch.keySet(), ours.keySet());
        torch.forEach((n, t) -> assertEquals(t, ours.get(n), n + " resaved bit-identical"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("networks")
    void structflowTrainedWeights_runInTheTwin_andComeBackExactly(String name, DataType type,
                                                                  BiFunction<DataType, Long, Example> build)
            throws IOException, InterruptedException {
        assumeTrue(python != null, "no python3 with torch and numpy found (apt-get install python3-torch): "
                + "PyTorch parity not checked");
        Example example = build.apply(type, 7L);
        Module model = example.model();
        SplittableRandom rng = new SplittableRandom(3);
        long[] shape = new long[example.sampleShape().length + 1];
        shape[0] = 4;
        System.arraycopy(example.sampleShape(), 0, shape, 1, example.sampleShape().length);
        Tensor x = Tensor.randn(type, rng, shape);
        Adam adam = new Adam(model, Adam.Config.defaults(0.01));
        Tensor target = Tensor.randn(type, rng, model.forward(x).shape());
        for (int step = 0; step < 3; step++) {
            model.zeroGrad();
            Autograd.backward(Losses.mse(model.forward(x), target));
            adam.step();
        }
        ModelWeights.save(model, tmp.resolve("weights.safetensors"));
        SafeTensors.write(tmp.resolve("input.safetensors"), Map.of("x", x.value()), Map.of());
        runTwin("run", name, dtype(type), tmp.toString());
        assertClose(model.forward(x).value(), only(tmp.resolve("output.safetensors"), "y"), tolerance(type),
                name + " structflow → PyTorch outputs");

        Module back = build.apply(type, 8L).model();
        ModelWeights.load(back, tmp.resolve("weights_back.safetensors"));
        model.namedParameters().forEach((n, p) -> assertEquals(p.value(), back.namedParameters().get(n).value(),
                n + " structflow → PyTorch → structflow"));
        Files.deleteIfExists(tmp.resolve("weights_back.safetensors"));
    }
}
