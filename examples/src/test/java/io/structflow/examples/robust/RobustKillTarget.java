package io.structflow.examples.robust;

import io.structflow.core.Backend;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.FashionMnist;
import io.structflow.examples.support.Results;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.RobustNetworks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The training process {@link RobustKillTest} kills: a small non-expansive network of the robust
 * experiment (spectral-norm and Euler step bounds with warm-started norm estimates) trained for
 * {@value #EPOCHS} epochs on the training images of a Fashion-MNIST directory with a checkpoint
 * after every epoch in {@code <out>/net}, then evaluated on its test images, with
 * {@code results.json} written to {@code <out>}. Arguments: {@code <out> <data directory>}.
 * Prints {@code done} when complete.
 */
final class RobustKillTarget {
    static final int EPOCHS = 4;
    static final Architecture ARCH = new Architecture(new int[] {4}, 1, 1, 0.5, true, DataType.FLOAT, 7);
    static final TrainingSettings SETTINGS = new TrainingSettings(EPOCHS, 64, 0.05, 0.9, 2, 0.5, 0.15, 1e-4, 5, true);
    static final String NETWORK_DIR = "net";

    private RobustKillTarget() {
    }

    public static void main(String[] args) throws IOException {
        Backend.init();
        Path out = Path.of(args[0]);
        FashionMnist data = FashionMnist.load(Path.of(args[1]));
        Dataset train = data.trainingSet(0, DataType.FLOAT);
        RobustExperiment.Images test = RobustExperiment.testSet(data, data.testLabels().length, DataType.FLOAT);
        RobustNetworks.Network net = RobustNetworks.build(NetworkKind.NON_EXPANSIVE, ARCH, FashionMnist.NUM_CLASSES);
        RobustExperiment.TrainingOutcome t = RobustExperiment.train(net, ARCH, train, SETTINGS,
                out.resolve(NETWORK_DIR), false);
        RobustExperiment.Evaluation ev = RobustExperiment.evaluate(net, test, new double[] {0, 0.1}, 32, 1);
        Results.write(out, Map.of("epochs_before", t.epochsBefore(), "clean_accuracy", ev.paper().cleanAccuracy(),
                "lipschitz_bound", ev.lipschitz()));
        System.out.println("done");
    }
}
