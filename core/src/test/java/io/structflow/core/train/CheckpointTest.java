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
import java.util.function.BiFunction;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Round trip, and every way a checkpoint can be wrong: missing, empty, truncated, garbage, a
 * flipped byte, an altered entry, another version, foreign, failed save.
 */
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
        String meta = "{\"format\":\"structflow-checkpoint\",\"version\":2,\"optimizer\":\"Adam\","
                + "\"progress\":{\"epoch\":0,\"stepInEpoch\":0,\"globalStep\":0,\"loaderSeed\":0,\"learningRate\":0.1,"
                + "\"lossSum\":0,\"lossCount\":0,\"metricsBytes\":0},"
                + "\"parameters\":[{\"name\":\"w\",\"dtype\":\"FLOAT\",\"shape\":[2]}],\"optimizerState\":[],"
                + "\"constraintState\":[]}";
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

    /** A copy of {@code src} at {@code dst} with each entry's bytes replaced by {@code edit(name, bytes)}. */
    private static void rewrite(Path src, Path dst, BiFunction<String, byte[], byte[]> edit) throws IOException {
        try (ZipFile in = new ZipFile(src.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(dst))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes;
                try (var s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(edit.apply(e.getName(), bytes));
                out.closeEntry();
            }
        }
    }

    @Test
    void firstDifference_isEmptyForTheSameStateAndNamesTheFirstDifferingValue() throws IOException {
        Module model = TrainerTest.mlp(4, 1);
        Adam adam = trained(model);
        Checkpoint a = Checkpoint.load(saved(model, adam));
        Path copy = tmp.resolve("copy.zip");
        Checkpoint.save(copy, model, adam, PROGRESS);
        assertEquals(java.util.Optional.empty(), a.firstDifference(Checkpoint.load(copy)));

        Parameter bias = model.namedParameters().get("0.bias");
        double[] b = bias.toDoubleArray();
        b[2] = Math.nextUp((float) b[2]);
        bias.updateInPlace(org.nd4j.linalg.factory.Nd4j.create(b, bias.shape(), 'c').castTo(DataType.FLOAT));
        Checkpoint.save(copy, model, adam, PROGRESS);
        String d = a.firstDifference(Checkpoint.load(copy)).orElseThrow();
        assertTrue(d.startsWith("parameter 0.bias differs at flat index 2: "), d);
    }

    @Test
    void load_anyFlippedByte_isRefusedNamingTheFileOrLeavesTheContentUnchanged() throws IOException {
        Module model = TrainerTest.mlp(4, 1);
        model.parameters().get(0).constrain(new CountingConstraint());
        Path file = saved(model, trained(model));
        Checkpoint original = Checkpoint.load(file);
        byte[] bytes = Files.readAllBytes(file);
        Path flipped = tmp.resolve("flipped.zip");
        int refused = 0;
        java.util.Set<String> namedEntries = new java.util.TreeSet<>();
        java.util.regex.Pattern damaged = java.util.regex.Pattern.compile("entry \"([^\"]+)\" is damaged");
        for (int i = 0; i < bytes.length; i++) {
            byte[] copy = bytes.clone();
            copy[i] ^= 0x5A;
            Files.write(flipped, copy);
            Checkpoint read;
            try {
                read = Checkpoint.load(flipped);
            } catch (IOException e) {
                refused++;
                java.util.regex.Matcher m = damaged.matcher(e.getMessage());
                if (m.find()) {
                    namedEntries.add(m.group(1));
                }
                assertTrue(e.getMessage().startsWith("checkpoint " + flipped + ": ") && e.getMessage().contains("--fresh")
                        && !e.getMessage().contains("\n"), "byte " + i + ": " + e.getMessage());
                continue;
            }
            assertEquals(java.util.Optional.empty(), original.firstDifference(read),
                    "byte " + i + " flipped, yet the checkpoint loaded");
        }
        assertTrue(refused > bytes.length / 2, refused + " of " + bytes.length + " flips refused");
        assertTrue(namedEntries.containsAll(List.of("meta.json", "parameters/0.weight", "optimizer/0.weight/exp_avg",
                "constraints/0.weight/0/count")), "flips inside entries name them: " + namedEntries);
    }

    @Test
    void load_entryReplacedWithItsCrcRecomputed_failsTheDigest() throws IOException {
        Module model = TrainerTest.mlp(4, 1);
        Path file = saved(model, trained(model));
        Path altered = tmp.resolve("altered.zip");
        rewrite(file, altered, (name, bytes) -> {
            if (name.equals("parameters/0.bias")) {
                bytes[bytes.length - 1] ^= 1; // the lowest bit of the last value; the zip gets a fresh CRC
            }
            return bytes;
        });
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(altered));
        assertTrue(e.getMessage().contains(altered.toString()) && e.getMessage().contains("SHA-256")
                && e.getMessage().contains("--fresh"), e.getMessage());
    }

    @Test
    void load_otherFormatVersionOrEmptyFile_isRefusedNamingBoth() throws IOException {
        Module model = TrainerTest.mlp(4, 1);
        Path file = saved(model, trained(model));
        Path old = tmp.resolve("old.zip");
        rewrite(file, old, (name, bytes) -> name.equals("meta.json")
                ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8).replace("\"version\" : 2", "\"version\" : 1")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8) : bytes);
        IOException v = assertThrows(IOException.class, () -> Checkpoint.load(old));
        assertEquals("checkpoint " + old + ": expected format version 2 but got 1; delete the checkpoint, or rerun with"
                + " --fresh, to start over", v.getMessage());

        Path empty = tmp.resolve("empty.zip");
        Files.write(empty, new byte[0]);
        IOException z = assertThrows(IOException.class, () -> Checkpoint.load(empty));
        assertEquals("checkpoint " + empty + ": the file is empty (0 bytes); delete the checkpoint, or rerun with"
                + " --fresh, to start over", z.getMessage());

        Path notJson = tmp.resolve("manifest.zip");
        rewrite(file, notJson, (name, bytes) -> name.equals("meta.json") ? "{\"format\": ".getBytes() : bytes);
        IOException m = assertThrows(IOException.class, () -> Checkpoint.load(notJson));
        assertTrue(m.getMessage().startsWith("checkpoint " + notJson + ": meta.json is not valid JSON")
                && !m.getMessage().contains("\n"), m.getMessage());
    }

    @Test
    void saveLoadRestore_constraintState_roundTripsAndIsRefusedByAnotherModel() throws IOException {
        Module model = TrainerTest.mlp(4, 1);
        CountingConstraint counting = new CountingConstraint();
        model.parameters().get(1).constrain(counting);
        Adam adam = trained(model);
        assertEquals(1, counting.count(), "the optimiser step projected once");
        Path file = saved(model, adam);
        Checkpoint ckpt = Checkpoint.load(file);
        assertEquals(java.util.Set.of("0.bias/0/count"), ckpt.constraintState().keySet());

        Module same = TrainerTest.mlp(4, 2);
        CountingConstraint fresh = new CountingConstraint();
        same.parameters().get(1).constrain(fresh);
        ckpt.restore(same, new Adam(same, Adam.Config.defaults(0.01)));
        assertEquals(1, fresh.count(), "restored");

        Module unconstrained = TrainerTest.mlp(4, 2);
        double[] before = unconstrained.parameters().get(1).toDoubleArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ckpt.restore(unconstrained, new Adam(unconstrained, Adam.Config.defaults(0.01))));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("\"0.bias/0/count\""),
                e.getMessage());
        assertArrayEquals(before, unconstrained.parameters().get(1).toDoubleArray(), 0.0, "nothing restored");

        Module stateless = TrainerTest.mlp(4, 2);
        stateless.parameters().get(1).constrain(new io.structflow.core.nn.Constraint() {
            @Override
            public String describe() {
                return "stateless";
            }

            @Override
            public void validate(Parameter p) {
                // any parameter
            }

            @Override
            public double violation(Parameter p) {
                return 0;
            }

            @Override
            public void projectInPlace(Parameter p) {
                // the whole space
            }
        });
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> ckpt.restore(stateless, new Adam(stateless, Adam.Config.defaults(0.01))));
        assertTrue(s.getMessage().contains("stateless") && s.getMessage().contains("count"), s.getMessage());

        Module twoStateful = TrainerTest.mlp(4, 2);
        CountingConstraint kept = new CountingConstraint();
        twoStateful.parameters().get(1).constrain(kept);
        twoStateful.parameters().get(2).constrain(new CountingConstraint());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ckpt.restore(twoStateful, new Adam(twoStateful, Adam.Config.defaults(0.01))));
        assertTrue(missing.getMessage().contains("counting"), missing.getMessage());
        assertEquals(0, kept.count(), "the state loaded into the first constraint is rolled back");
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
