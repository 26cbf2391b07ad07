package io.structflow.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.optim.Adam;
import io.structflow.core.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Round trip, and every way a checkpoint can be wrong: missing, truncated, garbage, foreign, failed save. */
class CheckpointTest {
    private static final Checkpoint.Progress PROGRESS = new Checkpoint.Progress(3, 2, 23, 7, 0.005, 1.25, 64, 120);

    @TempDir
    Path tmp;

    /** A model after one Adam step, so that the optimiser has state. */
    private static Adam trained(Module model) {
        Adam adam = new Adam(model, Adam.Config.defaults(0.01));
        Tensor x = Tensor.randn(DataType.FLOAT, new SplittableRandom(3), 8, 2);
        Autograd.backward(Losses.crossEntropy(model.forward(x), new int[] {0, 1, 1, 0, 1, 0, 0, 1}));
        adam.step();
        return adam;
    }

    private Path saved(Module model, Optimizer opt) throws IOException {
        Path file = tmp.resolve(Checkpoint.FILE_NAME);
        Checkpoint.save(file, model, opt, PROGRESS);
        return file;
    }

    @Test
    void saveLoadRestore_roundTripsParametersStateAndProgress() throws IOException {
        Module model = TrainerTest.mlp(8, 1);
        Adam adam = trained(model);
        Path file = saved(model, adam);

        Checkpoint ckpt = Checkpoint.load(file);
        assertEquals(PROGRESS, ckpt.progress());
        assertEquals("Adam", ckpt.optimizerName());
        assertEquals(model.namedParameters().keySet(), ckpt.parameters().keySet());

        Module fresh = TrainerTest.mlp(8, 2);
        Adam freshAdam = new Adam(fresh, Adam.Config.defaults(0.01));
        Map<String, INDArray> storage = new java.util.HashMap<>();
        fresh.namedParameters().forEach((n, p) -> storage.put(n, p.value()));
        ckpt.restore(fresh, freshAdam);
        model.namedParameters().forEach((n, p) -> {
            assertArrayEquals(p.toDoubleArray(), fresh.namedParameters().get(n).toDoubleArray(), 0.0, n);
            assertTrue(storage.get(n) == fresh.namedParameters().get(n).value(), "storage kept for " + n);
        });
        Map<String, INDArray> expected = adam.state();
        Map<String, INDArray> actual = freshAdam.state();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertEquals(v, actual.get(k), k));
    }

    @Test
    void load_missingFile_isNoSuchFileNamingIt() {
        Path missing = tmp.resolve("nope.zip");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Checkpoint.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void load_truncatedOrGarbageFile_isIOExceptionNamingPath() throws IOException {
        Module model = TrainerTest.mlp(8, 1);
        Path file = saved(model, trained(model));
        byte[] bytes = Files.readAllBytes(file);

        Path truncated = tmp.resolve("truncated.zip");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        IOException t = assertThrows(IOException.class, () -> Checkpoint.load(truncated));
        assertTrue(t.getMessage().contains(truncated.toString()) && t.getMessage().contains("truncated"), t.getMessage());

        Path garbage = tmp.resolve("garbage.zip");
        byte[] noise = new byte[4096];
        new SplittableRandom(1).nextBytes(noise);
        Files.write(garbage, noise);
        IOException g = assertThrows(IOException.class, () -> Checkpoint.load(garbage));
        assertTrue(g.getMessage().contains(garbage.toString()), g.getMessage());

        Path empty = tmp.resolve("empty.zip");
        Files.write(empty, new byte[0]);
        assertThrows(IOException.class, () -> Checkpoint.load(empty));
    }

    @Test
    void load_zipWithoutMetaOrWithShortEntry_isIOExceptionNamingTheEntry() throws IOException {
        Path foreign = tmp.resolve("foreign.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(foreign))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
        }
        IOException f = assertThrows(IOException.class, () -> Checkpoint.load(foreign));
        assertTrue(f.getMessage().contains("meta.json"), f.getMessage());

        Path shortEntry = tmp.resolve("short.zip");
        String meta = "{\"format\":\"structflow-checkpoint\",\"version\":1,\"optimizer\":\"Adam\","
                + "\"progress\":{\"epoch\":0,\"stepInEpoch\":0,\"globalStep\":0,\"loaderSeed\":0,\"learningRate\":0.1,"
                + "\"lossSum\":0,\"lossCount\":0,\"metricsBytes\":0},"
                + "\"parameters\":[{\"name\":\"w\",\"dtype\":\"FLOAT\",\"shape\":[2]}],\"optimizerState\":[]}";
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(shortEntry))) {
            zip.putNextEntry(new ZipEntry("meta.json"));
            zip.write(meta.getBytes());
            zip.putNextEntry(new ZipEntry("parameters/w"));
            // magic, float32, rank 1, dimension 2, but only one of the two values
            zip.write(new byte[] {'S', 'F', 'A', '1', 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0});
        }
        IOException s = assertThrows(IOException.class, () -> Checkpoint.load(shortEntry));
        assertTrue(s.getMessage().contains("parameters/w") && s.getMessage().contains("expected 8 bytes"), s.getMessage());
    }

    @Test
    void save_failingWriter_leavesPreviousCheckpointIntact() throws IOException {
        Module model = TrainerTest.mlp(8, 1);
        Path file = saved(model, trained(model));
        byte[] before = Files.readAllBytes(file);
        Map<String, double[]> values = new java.util.LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> values.put(n, p.toDoubleArray()));

        Parameter w = model.parameters().get(0);
        w.updateInPlace(w.value().mul(3));
        Optimizer failing = new FailingOptimizer(model);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Checkpoint.save(file, model, failing, PROGRESS));
        assertTrue(e.getMessage().contains("simulated"), e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file), "the old checkpoint is unchanged");
        Checkpoint old = Checkpoint.load(file);
        values.forEach((n, v) -> assertArrayEquals(v, Tensor.constant(old.parameters().get(n)).toDoubleArray(), 0.0, n));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(file.getFileName().toString()), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void restore_otherArchitecture_namesTheParameterAndChangesNothing() throws IOException {
        Module model = TrainerTest.mlp(8, 1);
        Path file = saved(model, trained(model));
        Checkpoint ckpt = Checkpoint.load(file);

        Module wider = TrainerTest.mlp(16, 1);
        double[] w0 = wider.parameters().get(0).toDoubleArray();
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> ckpt.restore(wider, new Adam(wider, Adam.Config.defaults(0.01))));
        assertTrue(shape.getMessage().contains("\"0.weight\"") && shape.getMessage().contains("[16, 2]")
                && shape.getMessage().contains("[8, 2]") && shape.getMessage().contains(file.toString()),
                shape.getMessage());
        assertArrayEquals(w0, wider.parameters().get(0).toDoubleArray(), 0.0);

        Module deeper = new io.structflow.core.nn.Sequential(TrainerTest.mlp(8, 1), new io.structflow.core.nn.Linear(
                2, 2, new SplittableRandom(1)));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ckpt.restore(deeper, new Adam(deeper, Adam.Config.defaults(0.01))));
        assertTrue(missing.getMessage().contains("\"0.0.weight\""), missing.getMessage());

        IllegalArgumentException optimiser = assertThrows(IllegalArgumentException.class,
                () -> ckpt.restore(model, new io.structflow.core.optim.Sgd(model,
                        io.structflow.core.optim.Sgd.Config.plain(0.1))));
        assertTrue(optimiser.getMessage().contains("Adam") && optimiser.getMessage().contains("Sgd"),
                optimiser.getMessage());
    }

    /** An optimiser whose state cannot be exported: the checkpoint writer throws mid-write. */
    private static final class FailingOptimizer extends Optimizer {
        FailingOptimizer(Module model) {
            super("FailingOptimizer", model.namedParameters(), 0.1);
        }

        @Override
        protected void update(String name, Parameter p, INDArray grad) {
            p.updateInPlace(p.value().sub(grad.mul(learningRate())));
        }

        @Override
        protected boolean updateAll(INDArray theta, INDArray grad) {
            theta.subi(grad.mul(learningRate()));
            return true;
        }

        @Override
        protected List<String> slotNames() {
            return List.of();
        }

        @Override
        public Map<String, INDArray> state() {
            throw new IllegalStateException("simulated failure while writing the optimiser state");
        }
    }
}
