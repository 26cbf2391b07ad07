package io.structflow.examples.certify;

import io.structflow.core.Backend;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.FashionMnist;
import io.structflow.core.nn.Sequential;
import io.structflow.examples.robust.RobustExperiment;
import io.structflow.examples.support.Results;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.CertifiedNetworks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The process {@link CertifyKillTest} kills: the orthogonal-switching network of {@code certify}
 * (Cayley-parametrised kernels, Adam, cosine schedule, shift augmentation) trained for
 * {@value #EPOCHS} epochs with a checkpoint after every epoch in {@code <out>/net}, then
 * evaluated, {@code results.json} written to {@code <out>}. Arguments: {@code <out> <data directory>}.
 * Prints {@code done} when complete.
 */
final class CertifyKillTarget {
    static final int EPOCHS = 3;
    static final Architecture ARCH = new Architecture(new int[] {4}, 1, 1, 0.5, true, DataType.FLOAT, 3);
    static final CertifySettings SETTINGS = new CertifySettings(EPOCHS, 32, 0.002, 0.25, 0.25, 2, 4);
    static final CertifiedNetworks.Head HEAD = CertifiedNetworks.Head.ROW_NORMALISED;
    static final CertifiedNetworks.DenseTail TAIL = new CertifiedNetworks.DenseTail(1, 16);
    static final String NETWORK_DIR = "net";

    private CertifyKillTarget() {
    }

    public static void main(String[] args) throws IOException {
        Backend.init();
        Path out = Path.of(args[0]);
        FashionMnist data = FashionMnist.load(Path.of(args[1]));
        Dataset train = data.trainingSet(0, DataType.FLOAT);
        RobustExperiment.Images test = RobustExperiment.testSet(data, data.testLabels().length, DataType.FLOAT);
        CertifiedNetworks.Kind kind = CertifiedNetworks.Kind.ORTHOGONAL_SWITCHING;
        Sequential model = CertifiedNetworks.build(kind, HEAD, TAIL, ARCH, FashionMnist.NUM_CLASSES);
        RobustExperiment.TrainingOutcome t = CertifyExperiment.train(model, kind, HEAD, TAIL, ARCH, train, SETTINGS,
                out.resolve(NETWORK_DIR), false, new long[1]);
        CertifyExperiment.Evaluation ev = CertifyExperiment.evaluate(kind, HEAD, TAIL, model, ARCH, test, 4, 16, 1);
        Results.write(out, Map.of("epochs_before", t.epochsBefore(), "clean_accuracy", ev.attacked().cleanAccuracy(),
                "certified_accuracy", ev.certified()[1], "lipschitz_bound", ev.lipschitz()));
        System.out.println("done");
    }
}
