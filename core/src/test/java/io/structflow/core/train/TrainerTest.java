package io.structflow.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.PlanarData;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Lambda;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Sequential;
import io.structflow.core.optim.Adam;
import io.structflow.core.optim.CosineAnnealing;
import io.structflow.core.optim.LearningRateSchedule;
import io.structflow.core.optim.Optimizer;
import io.structflow.core.optim.Sgd;
import io.structflow.core.optim.StepDecay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Convergence, exact resume after a kill, non-finite loss, metrics log and hooks. */
class TrainerTest {
    private static final LossFunction CROSS_ENTROPY = (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels());

    @TempDir
    Path tmp;

    static Module mlp(int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(2, width, true, DataType.FLOAT, rng), new Lambda("tanh", Tensor::tanh),
                new Linear(width, width, true, DataType.FLOAT, rng), new Lambda("tanh", Tensor::tanh),
                new Linear(width, 2, true, DataType.FLOAT, rng));
    }

    static double accuracy(Module model, Dataset data) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return Losses.accuracy(model.forward(Tensor.constant(data.features())), data.labels());
        }
    }

    private static Map<String, double[]> snapshot(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((n, p) -> out.put(n, p.toDoubleArray()));
        return out;
    }

    private static void assertSameParameters(Module expected, Module actual, double tol) {
        Map<String, double[]> a = snapshot(expected);
        Map<String, double[]> b = snapshot(actual);
        assertEquals(a.keySet(), b.keySet());
        a.forEach((n, v) -> assertArrayEquals(v, b.get(n), tol, "parameter " + n));
    }

    @Test
    void fit_mlpOnTwoMoons_reaches97PercentTestAccuracy() throws IOException {
        Dataset train = PlanarData.twoMoons(1000, 0.1, 1, DataType.FLOAT);
        Dataset test = PlanarData.twoMoons(1000, 0.1, 2, DataType.FLOAT);
        Module model = mlp(64, 7);
        Path log = tmp.resolve("metrics.jsonl");
        Trainer trainer = Trainer.builder(model, new Adam(model, Adam.Config.defaults(0.01)), CROSS_ENTROPY,
                        DataLoader.shuffled(train, 64, 3))
                .epochs(25)
                .schedule(new CosineAnnealing(0.01, 0.001, 25))
                .callback((epoch, m, metrics) -> metrics.put("test_accuracy", accuracy(m, test)))
                .metricsLog(log)
                .build();
        List<EpochResult> results = trainer.fit();
        double acc = accuracy(model, test);
        assertTrue(acc >= 0.97, "test accuracy " + acc);
        assertEquals(25, results.size());
        assertTrue(results.get(24).loss() < 0.2 * results.get(0).loss(), "loss falls: " + results.get(0).loss()
                + " -> " + results.get(24).loss());

        List<String> lines = Files.readAllLines(log);
        assertEquals(25, lines.size());
        JsonNode last = new ObjectMapper().readTree(lines.get(24));
        assertEquals("epoch", last.get("event").asText());
        assertEquals(24, last.get("epoch").asInt());
        assertEquals(25L * 16, last.get("step").asLong(), "16 batches per epoch");
        assertEquals(results.get(24).loss(), last.get("loss").asDouble(), 0.0);
        assertEquals(0.001, last.get("lr").asDouble(), 1e-4);
        assertEquals(acc, last.get("test_accuracy").asDouble(), 0.0);
    }

    @Test
    void fit_compiled_equalsEagerTraining() throws IOException {
        Dataset train = PlanarData.twoMoons(300, 0.1, 1, DataType.FLOAT);
        Module eager = mlp(16, 5);
        Module compiled = mlp(16, 5);
        List<EpochResult> a = Trainer.builder(eager, new Adam(eager, Adam.Config.defaults(0.01)), CROSS_ENTROPY,
                DataLoader.shuffled(train, 64, 3)).epochs(4).build().fit();
        List<EpochResult> b = Trainer.builder(compiled, new Adam(compiled, Adam.Config.defaults(0.01)), CROSS_ENTROPY,
                DataLoader.shuffled(train, 64, 3)).epochs(4).compiled(true).build().fit();
        for (int e = 0; e < 4; e++) {
            assertEquals(a.get(e).loss(), b.get(e).loss(), 1e-5, "epoch " + e);
        }
        assertSameParameters(eager, compiled, 1e-5);
    }

    /** Trains to {@code epochs} in {@code dir}; {@code crashAtCall > 0} throws from the loss at that call. */
    private static Trainer trainer(Module model, Optimizer opt, Dataset data, Path dir, int epochs, int checkpointEvery,
                                   int crashAtCall, LearningRateSchedule schedule) {
        int[] calls = {0};
        LossFunction loss = (m, b) -> {
            if (++calls[0] == crashAtCall) {
                throw new IllegalStateException("simulated kill at loss call " + crashAtCall);
            }
            return CROSS_ENTROPY.loss(m, b);
        };
        Trainer.Builder b = Trainer.builder(model, opt, loss, DataLoader.shuffled(data, 32, 99))
                .epochs(epochs).checkpointEverySteps(checkpointEvery);
        if (dir != null) {
            b.checkpointDir(dir).metricsLog(dir.resolve("metrics.jsonl"));
        }
        return b.schedule(schedule).build();
    }

    @Test
    void resume_adamAfterKillAtEpochBoundary_equalsUninterruptedRun() throws IOException {
        Dataset data = PlanarData.twoMoons(200, 0.15, 5, DataType.FLOAT);
        CosineAnnealing schedule = new CosineAnnealing(0.02, 0.002, 6);
        Function<Module, Optimizer> adam = m -> new Adam(m, new Adam.Config(0.02, 0.9, 0.99, 1e-7, 1e-4));

        Module reference = mlp(16, 1);
        List<EpochResult> full = trainer(reference, adam.apply(reference), data, null, 6, 0, 0, schedule).fit();

        Path dir = tmp.resolve("adam");
        { // the first process: trains 3 epochs, then every object of it is dropped
            Module first = mlp(16, 1);
            trainer(first, adam.apply(first), data, dir, 3, 0, 0, schedule).fit();
        }

        Module resumed = mlp(16, 2); // a different initialisation: everything must come from the checkpoint
        List<EpochResult> rest = trainer(resumed, adam.apply(resumed), data, dir, 6, 0, 0, schedule).fit();
        assertEquals(3, rest.size());
        assertEquals(3, rest.get(0).epoch());
        assertSameParameters(reference, resumed, 1e-6);
        for (int i = 0; i < 3; i++) {
            assertEquals(full.get(3 + i).loss(), rest.get(i).loss(), 1e-9, "epoch " + (3 + i));
            assertEquals(full.get(3 + i).step(), rest.get(i).step());
        }
        assertEquals(6, Files.readAllLines(dir.resolve("metrics.jsonl")).size());
        // a further fit has nothing left to do
        Module again = mlp(16, 3);
        assertTrue(trainer(again, adam.apply(again), data, dir, 6, 0, 0, schedule).fit().isEmpty());
        assertSameParameters(reference, again, 0.0);
    }

    @Test
    void resume_sgdMomentumAfterCrashMidEpoch_equalsUninterruptedRun() throws IOException {
        Dataset data = PlanarData.twoMoons(200, 0.15, 6, DataType.FLOAT); // 7 batches per epoch
        StepDecay schedule = new StepDecay(0.1, 0.5, 2);
        Function<Module, Optimizer> sgd = m -> new Sgd(m, new Sgd.Config(0.1, 0.9, false, 1e-4));

        Module reference = mlp(16, 4);
        List<EpochResult> full = trainer(reference, sgd.apply(reference), data, null, 6, 0, 0, schedule).fit();

        Path dir = tmp.resolve("sgd");
        { // the first process dies inside epoch 2; every object of it is dropped
            Module crashed = mlp(16, 4);
            Trainer dying = trainer(crashed, sgd.apply(crashed), data, dir, 6, 5, 17, schedule);
            IllegalStateException kill = assertThrows(IllegalStateException.class, dying::fit);
            assertTrue(kill.getMessage().contains("simulated kill"));
        }
        Checkpoint.Progress at = Checkpoint.load(dir.resolve(Checkpoint.FILE_NAME)).progress();
        assertEquals(new Checkpoint.Progress(2, 1, 15, 99, 0.05, at.lossSum(), 32, at.metricsBytes()), at,
                "last checkpoint: step 15 = batch 1 of epoch 2");

        Module resumed = mlp(16, 5);
        List<EpochResult> rest = trainer(resumed, sgd.apply(resumed), data, dir, 6, 5, 0, schedule).fit();
        assertEquals(4, rest.size());
        assertSameParameters(reference, resumed, 1e-6);
        assertEquals(full.get(2).loss(), rest.get(0).loss(), 1e-9, "epoch 2's loss includes the batch before the crash");
        assertEquals(full.get(5).loss(), rest.get(3).loss(), 1e-9);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertEquals(6, lines.size(), String.join("\n", lines));
    }

    @Test
    void resume_statefulConstraint_equalsUninterruptedRunBitForBit() throws IOException {
        Dataset data = PlanarData.twoMoons(128, 0.15, 5, DataType.FLOAT);
        Function<Module, Optimizer> sgd = m -> {
            m.parameters().get(0).constrain(new CountingConstraint());
            return new Sgd(m, new Sgd.Config(0.1, 0.9, false, 0));
        };
        Module reference = mlp(8, 1);
        trainer(reference, sgd.apply(reference), data, null, 4, 0, 0, null).fit();

        Path dir = tmp.resolve("stateful");
        Module first = mlp(8, 1); // dies in epoch 1, after the checkpoint of epoch 0
        assertThrows(IllegalStateException.class, trainer(first, sgd.apply(first), data, dir, 4, 0, 6, null)::fit);

        Module resumed = mlp(8, 2);
        trainer(resumed, sgd.apply(resumed), data, dir, 4, 0, 0, null).fit();
        assertSameParameters(reference, resumed, 0.0);
    }

    @Test
    void fit_checkpointWithMoreEpochsThanAsked_isRefusedNamingBoth() throws IOException {
        Dataset data = PlanarData.twoMoons(64, 0.1, 6, DataType.FLOAT);
        Path dir = tmp.resolve("longer");
        Module m = mlp(8, 1);
        trainer(m, new Sgd(m, Sgd.Config.plain(0.1)), data, dir, 3, 0, 0, null).fit();
        Module n = mlp(8, 1);
        Trainer shorter = trainer(n, new Sgd(n, Sgd.Config.plain(0.1)), data, dir, 2, 0, 0, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, shorter::fit);
        assertEquals("checkpoint " + dir.resolve(Checkpoint.FILE_NAME) + ": holds 3 trained epoch(s) but the trainer is"
                + " asked for 2 epoch(s); ask for at least 3, or delete the checkpoint, or rerun with --fresh, to start"
                + " over", e.getMessage());
    }

    @Test
    void fit_temporaryFilesOfKilledSaves_areDeletedOnStart() throws IOException {
        Dataset data = PlanarData.twoMoons(64, 0.1, 6, DataType.FLOAT);
        Path dir = Files.createDirectories(tmp.resolve("leftovers"));
        Path leftover = Files.write(dir.resolve(".checkpoint.zip.1f3a9c.tmp"), new byte[0]);
        Path unrelated = Files.write(dir.resolve(".other.zip.1f3a9c.tmp"), new byte[0]);
        Module m = mlp(8, 1);
        trainer(m, new Sgd(m, Sgd.Config.plain(0.1)), data, dir, 1, 0, 0, null).fit();
        assertTrue(!Files.exists(leftover), "the leftover of a killed save is deleted");
        assertTrue(Files.exists(unrelated), "other files are kept");
    }

    @Test
    void resume_withAnotherLoaderSeed_isRefused() throws IOException {
        Dataset data = PlanarData.twoMoons(64, 0.1, 6, DataType.FLOAT);
        Module m = mlp(8, 1);
        Path dir = tmp.resolve("seed");
        Trainer.builder(m, new Sgd(m, Sgd.Config.plain(0.1)), CROSS_ENTROPY, DataLoader.shuffled(data, 32, 1))
                .checkpointDir(dir).build().fit();
        Module n = mlp(8, 1);
        Trainer other = Trainer.builder(n, new Sgd(n, Sgd.Config.plain(0.1)), CROSS_ENTROPY,
                DataLoader.shuffled(data, 32, 2)).epochs(2).checkpointDir(dir).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, other::fit);
        assertTrue(e.getMessage().contains("seed 1") && e.getMessage().contains("seed is 2"), e.getMessage());
    }

    @Test
    void fit_nanLoss_stopsBeforeTheUpdateNamingEpochAndStep() {
        Dataset data = PlanarData.twoMoons(128, 0.1, 6, DataType.FLOAT); // 4 batches per epoch
        Module model = mlp(8, 1);
        int[] calls = {0};
        List<Map<String, double[]>> beforeBadStep = new ArrayList<>();
        LossFunction poisoned = (m, b) -> {
            Tensor loss = CROSS_ENTROPY.loss(m, b);
            if (++calls[0] == 6) {
                beforeBadStep.add(snapshot(m));
                return loss.mul(Tensor.scalar(Double.NaN, loss.dtype()));
            }
            return loss;
        };
        Trainer trainer = Trainer.builder(model, new Adam(model, Adam.Config.defaults(0.01)), poisoned,
                DataLoader.shuffled(data, 32, 1)).epochs(3).build();
        ArithmeticException e = assertThrows(ArithmeticException.class, trainer::fit);
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("epoch 1, step 5"), e.getMessage());
        Map<String, double[]> after = snapshot(model);
        beforeBadStep.get(0).forEach((n, v) -> assertArrayEquals(v, after.get(n), 0.0, "parameter " + n));
    }

    @Test
    void fit_constraintReportHook_printsOneLinePerEpoch() throws IOException {
        Dataset data = PlanarData.twoMoons(64, 0.1, 6, DataType.FLOAT);
        Module model = mlp(8, 1);
        List<String> reports = new ArrayList<>();
        Trainer.builder(model, new Sgd(model, Sgd.Config.plain(0.1)), CROSS_ENTROPY, DataLoader.shuffled(data, 16, 1))
                .epochs(2)
                .constraintReport(m -> m.parameterCount() + " parameters")
                .reportSink(reports::add)
                .build().fit();
        assertEquals(List.of("epoch 0: " + model.parameterCount() + " parameters",
                "epoch 1: " + model.parameterCount() + " parameters"), reports);
    }

    @Test
    void builder_optimiserOverOtherParameters_isRejected() {
        Module model = mlp(8, 1);
        Module other = mlp(8, 1);
        DataLoader loader = DataLoader.shuffled(PlanarData.twoMoons(16, 0.1, 6, DataType.FLOAT), 8, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(model, new Sgd(other, Sgd.Config.plain(0.1)), CROSS_ENTROPY, loader));
        assertTrue(e.getMessage().contains("\"0.weight\""), e.getMessage());
    }
}
