package io.structflow.examples.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.structflow.core.Backend;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.FashionMnist;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.RobustNetworks;
import io.structflow.robustness.RobustnessReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Trains small constrained networks for seconds on real Fashion-MNIST images. */
class RobustTrainingTest {
    private static final Architecture SMALL = new Architecture(new int[] {4, 8}, 1, 2, 0.5, true, DataType.FLOAT, 5);
    private static FashionMnist data;

    @BeforeAll
    static void load() throws IOException {
        Backend.init();
        data = FashionMnist.load();
    }

    @Test
    void certifiedAccuracy_isPositive_andNeverAboveRobustAccuracy(@TempDir Path dir) throws IOException {
        Dataset train = data.trainingSet(1536, DataType.FLOAT);
        RobustExperiment.Images test = RobustExperiment.testSet(data, 128, DataType.FLOAT);
        RobustNetworks.Network net = RobustNetworks.build(NetworkKind.NON_EXPANSIVE, SMALL, 10);
        TrainingSettings s = new TrainingSettings(1, 32, 0.05, 0.9, 4, 0.1, 0.15, 0, 1, true);
        RobustExperiment.train(net, SMALL, train, s, dir, false);
        double[] eps = {0, 0.05, 0.1, 0.2};
        RobustExperiment.Evaluation ev = RobustExperiment.evaluate(net, test, eps, 128, 1);
        RobustnessReport strong = ev.strong();
        // an untrained 10-class model sits near 0.1; one short epoch gets well above it
        assertTrue(strong.cleanAccuracy() > 0.4, "clean accuracy " + strong.cleanAccuracy());
        assertTrue(ev.lipschitz() <= 1 + 1e-4, "bounded chain: Lipschitz bound " + ev.lipschitz());
        assertTrue(strong.certifiedAccuracy()[2] > 0, "certified accuracy at eps = 0.1: " + strong.certifiedAccuracy()[2]);
        for (int k = 0; k < eps.length; k++) {
            assertTrue(strong.certifiedAccuracy()[k] <= strong.robustAccuracy()[k],
                    "eps " + eps[k] + ": certified " + strong.certifiedAccuracy()[k] + " > robust " + strong.robustAccuracy()[k]);
            assertTrue(strong.robustAccuracy()[k] <= ev.paper().robustAccuracy()[k] + 1e-12,
                    "the 0.25*eps step is the stronger attack at eps " + eps[k]);
            assertEquals(strong.certifiedAccuracy()[k], ev.paper().certifiedAccuracy()[k], 0.0);
        }
    }

    @Test
    void trace_ofTheNaiveNetwork_changesNoTrainedWeight_andRecordsEveryBatchLoss(@TempDir Path dir) throws IOException {
        Dataset train = data.trainingSet(256, DataType.FLOAT);
        TrainingSettings s = new TrainingSettings(1, 32, 0.05, 0.9, 4, 0.1, 0.15, 1e-3, 1, true);
        RobustNetworks.Network plain = RobustNetworks.build(NetworkKind.NAIVE, SMALL, 10);
        RobustExperiment.train(plain, SMALL, train, s, dir.resolve("plain"), false);
        RobustNetworks.Network traced = RobustNetworks.build(NetworkKind.NAIVE, SMALL, 10);
        RobustExperiment.TrainingOutcome t = RobustExperiment.train(traced, SMALL, train, s, dir.resolve("traced"), false,
                1);
        plain.model().namedParameters().forEach((n, p) -> assertArrayEquals(p.toDoubleArray(),
                traced.model().namedParameters().get(n).toDoubleArray(), 0.0, n));
        java.util.List<String> losses = Files.readAllLines(dir.resolve("traced").resolve(RobustExperiment.LOSS_TRACE));
        assertEquals(LossTermsTrace.HEADER, losses.get(0));
        assertEquals(9, losses.size()); // 8 batches of 32
        double mean = losses.subList(1, 9).stream().mapToDouble(l -> Double.parseDouble(l.split(",")[2])).average()
                .orElseThrow();
        assertEquals(t.losses()[0], mean, 1e-6);
        assertEquals(1 + 8 * traced.model().namedParameters().size(),
                Files.readAllLines(dir.resolve("traced").resolve(RobustExperiment.UPDATE_TRACE)).size());
        assertEquals(1 + 8 * traced.model().layers().size(),
                Files.readAllLines(dir.resolve("traced").resolve(RobustExperiment.ACTIVATION_TRACE)).size());
    }

    @Test
    void resnetLearningRate_appliesToTheResNetOnly_andIsValidated(@TempDir Path dir) {
        TrainingSettings s = new TrainingSettings(1, 64, 0.05, 0.9, 4, 0.1, 0.15, 1e-3, 1, true);
        RobustRun.Options o = new RobustRun.Options(dir, dir, java.util.List.of(NetworkKind.values()), SMALL, s, 0.005,
                256, 64, new double[] {0, 0.5}, 64, false, false, 0);
        assertEquals(0.005, o.settingsFor(NetworkKind.RESNET).learningRate(), 0.0);
        for (NetworkKind k : new NetworkKind[] {NetworkKind.PRESCRIBED, NetworkKind.FLEXIBLE, NetworkKind.NON_EXPANSIVE,
            NetworkKind.NAIVE}) {
            assertEquals(0.05, o.settingsFor(k).learningRate(), 0.0, k.key());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RobustRun.Options(dir, dir,
                java.util.List.of(NetworkKind.RESNET), SMALL, s, Double.NaN, 256, 64, new double[] {0, 0.5}, 64, false,
                false, 0));
        assertEquals("--resnet-lr: expected a finite rate > 0 but got NaN", e.getMessage());
    }

    @Test
    void training_resumesFromTheCheckpoint_andRefusesAnotherConfiguration(@TempDir Path dir) throws IOException {
        Dataset train = data.trainingSet(256, DataType.FLOAT);
        TrainingSettings one = new TrainingSettings(1, 64, 0.01, 0.9, 4, 0.1, 0.15, 1e-4, 2, true);
        RobustExperiment.TrainingOutcome first = RobustExperiment.train(
                RobustNetworks.build(NetworkKind.PRESCRIBED, SMALL, 10), SMALL, train, one, dir, false);
        assertEquals(0, first.epochsBefore());
        assertEquals(1, first.epochs().size());

        RobustNetworks.Network again = RobustNetworks.build(NetworkKind.PRESCRIBED, SMALL, 10);
        RobustExperiment.TrainingOutcome second = RobustExperiment.train(again, SMALL, train, one.withEpochs(2), dir,
                false);
        assertEquals(1, second.epochsBefore(), "resumed after epoch 1");
        assertEquals(1, second.epochs().size(), "trained only the missing epoch");
        assertEquals(1, second.epochs().get(0).epoch(), "the epoch trained is the second one");

        RobustExperiment.TrainingOutcome loaded = RobustExperiment.train(
                RobustNetworks.build(NetworkKind.PRESCRIBED, SMALL, 10), SMALL, train, one.withEpochs(2), dir, false);
        assertEquals(2, loaded.epochsBefore());
        assertEquals(0, loaded.epochs().size(), "nothing left to train: the checkpoint is loaded");

        TrainingSettings otherMargin = new TrainingSettings(2, 64, 0.01, 0.9, 4, 0.1, 0.3, 1e-4, 2, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RobustExperiment.train(
                RobustNetworks.build(NetworkKind.PRESCRIBED, SMALL, 10), SMALL, train, otherMargin, dir, false));
        assertTrue(e.getMessage().contains("--out") && e.getMessage().contains("--fresh"), e.getMessage());

        // a checkpoint trained from another initialisation (e.g. before the naive blocks started as
        // the identity) has the same architecture and settings but must not be resumed
        Path config = dir.resolve("config.json");
        ObjectMapper json = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> saved = json.readValue(config.toFile(), Map.class);
        assertEquals(RobustNetworks.ORTHOGONAL_INIT, saved.get("initialisation"));
        saved.put("initialisation", "some_earlier_scheme");
        Files.write(config, json.writeValueAsBytes(saved));
        IllegalArgumentException init = assertThrows(IllegalArgumentException.class, () -> RobustExperiment.train(
                RobustNetworks.build(NetworkKind.PRESCRIBED, SMALL, 10), SMALL, train, one.withEpochs(2), dir, false));
        assertTrue(init.getMessage().contains("some_earlier_scheme"), init.getMessage());
    }
    @Test
    void resume_afterOneEpoch_equalsUninterruptedRunBitForBit(@TempDir Path dir) throws IOException {
        Dataset train = data.trainingSet(256, DataType.FLOAT);
        TrainingSettings two = new TrainingSettings(2, 64, 0.05, 0.9, 1, 0.5, 0.15, 1e-4, 3, true);
        for (NetworkKind kind : new NetworkKind[] {NetworkKind.NON_EXPANSIVE, NetworkKind.FLEXIBLE}) {
            RobustNetworks.Network reference = RobustNetworks.build(kind, SMALL, 10);
            RobustExperiment.train(reference, SMALL, train, two, dir.resolve(kind.key() + "-whole"), false);

            Path resumedDir = dir.resolve(kind.key() + "-resumed");
            RobustExperiment.train(RobustNetworks.build(kind, SMALL, 10), SMALL, train, two.withEpochs(1), resumedDir,
                    false);
            RobustNetworks.Network resumed = RobustNetworks.build(kind, SMALL, 10);
            RobustExperiment.train(resumed, SMALL, train, two, resumedDir, false);
            reference.model().namedParameters().forEach((n, p) -> assertArrayEquals(p.toDoubleArray(),
                    resumed.model().namedParameters().get(n).toDoubleArray(), 0.0, kind.key() + ": parameter " + n));
        }
    }

    @Test
    void train_fewerEpochsThanTheCheckpointHolds_isRefusedNamingBoth(@TempDir Path dir) throws IOException {
        Dataset train = data.trainingSet(128, DataType.FLOAT);
        TrainingSettings two = new TrainingSettings(2, 64, 0.01, 0.9, 4, 0.1, 0.15, 0, 2, true);
        RobustExperiment.train(RobustNetworks.build(NetworkKind.NON_EXPANSIVE, SMALL, 10), SMALL, train, two, dir, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RobustExperiment.train(
                RobustNetworks.build(NetworkKind.NON_EXPANSIVE, SMALL, 10), SMALL, train, two.withEpochs(1), dir, false));
        assertTrue(e.getMessage().contains("holds 2 trained epoch(s)") && e.getMessage().contains("asked for 1 epoch(s)")
                && e.getMessage().contains("--fresh"), e.getMessage());
    }

    @Test
    void train_garbageConfigJson_isOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Dataset train = data.trainingSet(128, DataType.FLOAT);
        TrainingSettings one = new TrainingSettings(1, 64, 0.01, 0.9, 4, 0.1, 0.15, 0, 2, true);
        RobustExperiment.train(RobustNetworks.build(NetworkKind.NON_EXPANSIVE, SMALL, 10), SMALL, train, one, dir, false);
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"network\": \"non_expansive\",\n  garbage");
        IOException e = assertThrows(IOException.class, () -> RobustExperiment.train(
                RobustNetworks.build(NetworkKind.NON_EXPANSIVE, SMALL, 10), SMALL, train, one, dir, false));
        assertTrue(e.getMessage().startsWith(config + ": expected the JSON object of a checkpoint's configuration but ")
                && e.getMessage().contains("line 2") && e.getMessage().contains("--fresh")
                && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void train_leftoverTemporaryFiles_areDeletedOnStart(@TempDir Path dir) throws IOException {
        Dataset train = data.trainingSet(128, DataType.FLOAT);
        TrainingSettings one = new TrainingSettings(1, 64, 0.01, 0.9, 4, 0.1, 0.15, 0, 2, true);
        Files.createDirectories(dir);
        Path checkpointLeftover = Files.write(dir.resolve(".checkpoint.zip.5d2e.tmp"), new byte[0]);
        Path configLeftover = Files.write(dir.resolve(".config.json.5d2e.tmp"), new byte[0]);
        RobustExperiment.train(RobustNetworks.build(NetworkKind.NON_EXPANSIVE, SMALL, 10), SMALL, train, one, dir, false);
        assertTrue(!Files.exists(checkpointLeftover) && !Files.exists(configLeftover), "leftovers deleted");
    }
}
