package io.structflow.benchmarks;

import io.structflow.core.Backend;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.FashionMnist;
import io.structflow.core.optim.Sgd;
import io.structflow.core.train.Trainer;
import io.structflow.examples.robust.Architecture;
import io.structflow.examples.robust.NetworkKind;
import io.structflow.examples.robust.RobustExperiment;
import io.structflow.examples.robust.RobustNetworks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Peak memory (RSS high-water mark) and time of one training epoch of a Fashion-MNIST network of
 * [CMOSS] §3.3 as the robustness example trains it (replayed steps, batch 64, SGD momentum 0.9 at
 * lr 0.05, 0.005 for the ResNet, hinge loss plus the orthogonality penalty, projections after every step; see
 * {@link ExampleTraining}). Twin: {@code benchmarks/torch/fmnist_epoch_rss.py}. Prints one JSON line.
 *
 * <pre>
 *   java -Xmx1g -cp benchmarks/target/benchmarks.jar io.structflow.benchmarks.FashionMnistEpochMemory \
 *       --network prescribed --images 60000 [--data /usr/share/datasets/fashion-mnist]
 * </pre>
 * The data come from Debian's {@code dataset-fashion-mnist} package.
 */
public final class FashionMnistEpochMemory {
    private FashionMnistEpochMemory() {
    }

    public static void main(String[] args) throws IOException {
        String network = "prescribed";
        int images = 0;
        Path data = FashionMnist.defaultDirectory();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + ": expected a value after it; got nothing");
            }
            switch (args[i]) {
                case "--network" -> network = args[i + 1];
                case "--images" -> images = Integer.parseInt(args[i + 1]);
                case "--data" -> data = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("expected --network prescribed|resnet, --images N or"
                        + " --data DIR but got '" + args[i] + "' in " + Arrays.toString(args));
            }
        }
        NetworkKind kind = switch (network) {
            case "prescribed" -> NetworkKind.PRESCRIBED;
            case "resnet" -> NetworkKind.RESNET;
            default -> throw new IllegalArgumentException("--network: expected prescribed or resnet but got '"
                    + network + "'");
        };
        Backend.init();
        Dataset train = RobustExperiment.trainingSet(FashionMnist.load(data), images, DataType.FLOAT);
        RobustNetworks.Network net = RobustNetworks.build(kind, Architecture.defaults(DataType.FLOAT, 1), 10);
        double lr = kind == NetworkKind.RESNET ? 0.005 : 0.05;
        Trainer trainer = Trainer.builder(net.model(), new Sgd(net.model(), Sgd.Config.momentum(lr, 0.9)),
                        ExampleTraining.robustLoss(net.orthogonalKernels()), new DataLoader(train, 64, true, 1, false))
                .epochs(1)
                .compiled(true)
                .build();
        long start = System.nanoTime();
        double loss = trainer.fit().get(0).loss();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("{\"network\": \"%s\", \"images\": %d, \"seconds\": %.1f, \"loss\": %.4f,"
                + " \"peak_rss_kb\": %d}%n", network, train.size(), seconds, loss, ProcessMemory.peakResidentKilobytes());
    }
}
