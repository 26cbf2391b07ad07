package io.structflow.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Lambda;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A model's weights through safetensors: exact round trips, and every mismatch refused with the model untouched. */
class ModelWeightsTest {
    @TempDir
    Path tmp;

    private static Sequential mlp(DataType type, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(3, 5, true, type, rng), new Lambda("tanh", Tensor::tanh),
                new Linear(5, 2, true, type, rng));
    }

    private static Map<String, INDArray> copies(Module m) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        m.namedParameters().forEach((n, p) -> out.put(n, p.value().dup()));
        return out;
    }

    @Test
    void saveLoad_roundTripsBitExactInFloat32AndFloat64() throws IOException {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Sequential source = mlp(type, 1);
            Sequential target = mlp(type, 2);
            Path file = tmp.resolve(type + ".safetensors");
            ModelWeights.save(source, file, Map.of("epochs", "3"));
            Map<String, String> meta = ModelWeights.load(target, file);
            assertEquals("structflow", meta.get("format"));
            assertEquals("3", meta.get("epochs"));
            assertEquals(source.namedParameters().keySet(), target.namedParameters().keySet());
            source.namedParameters().forEach((n, p) -> assertEquals(p.value(), target.namedParameters().get(n).value(), n));
            Tensor x = Tensor.randn(type, new SplittableRandom(5), 4, 3);
            assertEquals(source.forward(x).value(), target.forward(x).value());
        }
    }

    @Test
    void save_namesFollowTheModuleTree() throws IOException {
        Path file = tmp.resolve("m.safetensors");
        ModelWeights.save(mlp(DataType.FLOAT, 1), file);
        assertEquals(java.util.Set.of("0.weight", "0.bias", "2.weight", "2.bias"),
                SafeTensors.read(file).tensors().keySet());
    }

    /** Saves a model, edits the tensors, writes them back and checks the load fails naming {@code words}. */
    private void assertRefused(Consumer<Map<String, INDArray>> edit, String... words) throws IOException {
        Map<String, INDArray> t = copies(mlp(DataType.FLOAT, 1));
        edit.accept(t);
        Path file = tmp.resolve("edited.safetensors");
        SafeTensors.write(file, t, Map.of());
        Sequential target = mlp(DataType.FLOAT, 2);
        Map<String, INDArray> before = copies(target);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelWeights.load(target, file));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), () -> "expected \"" + w + "\" in: " + e.getMessage());
        }
        assertEquals(-1, e.getMessage().indexOf('\n'));
        target.namedParameters().forEach((n, p) -> assertEquals(before.get(n), p.value(), "half-loaded: " + n));
    }

    @Test
    void load_missingTensor_isRefusedAndTheModelUnchanged() throws IOException {
        assertRefused(t -> t.remove("2.bias"), "\"2.bias\"", "FLOAT[2]", "missing");
    }

    @Test
    void load_extraTensor_isRefusedAndTheModelUnchanged() throws IOException {
        assertRefused(t -> t.put("3.weight", Nd4j.zeros(DataType.FLOAT, 2, 2)), "\"3.weight\"", "none of that name");
    }

    @Test
    void load_wrongShape_isRefusedAndTheModelUnchanged() throws IOException {
        assertRefused(t -> t.put("2.weight", Nd4j.zeros(DataType.FLOAT, 5, 2)), "\"2.weight\"", "FLOAT[2, 5]",
                "FLOAT[5, 2]");
    }

    @Test
    void load_wrongDtype_isRefusedAndTheModelUnchanged() throws IOException {
        assertRefused(t -> t.put("0.bias", t.get("0.bias").castTo(DataType.DOUBLE)), "\"0.bias\"", "FLOAT[5]",
                "DOUBLE[5]");
    }

    @Test
    void load_nonFiniteValue_isRefusedAndTheModelUnchanged() throws IOException {
        assertRefused(t -> t.get("2.weight").putScalar(1, Float.NaN), "\"2.weight\"", "finite");
    }

    @Test
    void save_refusesNonFiniteParameters() {
        Sequential m = mlp(DataType.FLOAT, 1);
        Parameter w = m.namedParameters().get("0.weight");
        w.value().putScalar(0, Float.POSITIVE_INFINITY);
        assertThrows(ArithmeticException.class, () -> ModelWeights.save(m, tmp.resolve("bad.safetensors")));
        assertNotEquals(true, tmp.resolve("bad.safetensors").toFile().exists());
    }
}
