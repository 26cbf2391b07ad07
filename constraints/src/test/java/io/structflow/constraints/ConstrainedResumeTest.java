package io.structflow.constraints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Module;
import io.structflow.core.optim.Sgd;
import io.structflow.core.train.Checkpoint;
import io.structflow.core.train.LossFunction;
import io.structflow.core.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of the constrained classifier of {@link LipschitzTrainingTest} (spectral-norm bounds and
 * Euler step bounds, each with a warm-started norm estimate) killed after a checkpoint and resumed
 * ends with the parameters of an uninterrupted run, bit for bit.
 */
class ConstrainedResumeTest {
    @TempDir
    Path tmp;

    private static Trainer trainer(Module model, Path dir, int crashAtCall) {
        int[] labels = new int[96];
        Dataset data = Dataset.classification("disc", LipschitzTrainingTest.data(11, 96, labels)[0].value(), labels);
        int[] calls = {0};
        LossFunction loss = (m, b) -> {
            if (++calls[0] == crashAtCall) {
                throw new IllegalStateException("simulated kill at loss call " + crashAtCall);
            }
            return Losses.crossEntropy(m.forward(b.x()), b.labels());
        };
        Trainer.Builder b = Trainer.builder(model, new Sgd(model, Sgd.Config.momentum(0.2, 0.9)), loss,
                DataLoader.shuffled(data, 16, 5)).epochs(4);
        return (dir == null ? b : b.checkpointDir(dir)).build();
    }

    /**
     * The classifier with, on A0, an extra estimated norm bound: its projections depend on the
     * estimator's warm start (the certified bounds are deterministic in the weight and keep none).
     */
    private static Module classifier(long seed) {
        Module m = new LipschitzTrainingTest.Classifier(seed, true);
        m.namedParameters().get("A0").constrain(SpectralNormBound.estimated(0.9, new DenseSpectralNorm(), 1e-6));
        return m;
    }

    @Test
    void resume_afterKill_equalsUninterruptedRunBitForBit() throws IOException {
        Module reference = classifier(1);
        trainer(reference, null, 0).fit();

        Path dir = tmp.resolve("run");
        Module killed = classifier(1);
        Trainer dying = trainer(killed, dir, 9); // dies in epoch 1, after the checkpoint of epoch 0
        assertThrows(IllegalStateException.class, dying::fit);
        assertTrue(Checkpoint.load(dir.resolve(Checkpoint.FILE_NAME)).constraintState().keySet()
                .contains("A0/1/warm_start"), "the estimated spectral bound's warm start is saved");

        Module resumed = classifier(2);
        trainer(resumed, dir, 0).fit();
        reference.namedParameters().forEach((n, p) -> assertArrayEquals(p.toDoubleArray(),
                resumed.namedParameters().get(n).toDoubleArray(), 0.0, "parameter " + n));
    }
}
