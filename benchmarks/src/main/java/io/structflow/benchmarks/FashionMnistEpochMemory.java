package io.structflow.benchmarks;

import io.structflow.core.Backend;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.FashionMnist;
import io.structflow.core.optim.Sgd;
import io.structflow.core.train.Trainer;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.RobustNetworks;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
@Command(name = "FashionMnistEpochMemory", mixinStandardHelpOptions = true,
        description = "Time and peak RSS of one Fashion-MNIST training epoch.")
public final class FashionMnistEpochMemory implements Callable<Integer> {
    @Mixin
    private FashionMnistOptions options;

    @Option(names = "--images", defaultValue = "0", description = "training images, 0 = all 60000 (default ${DEFAULT-VALUE})")
    private int images;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FashionMnistEpochMemory()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (images < 0) {
            throw new IllegalArgumentException("--images: expected ≥ 0 (0 = all) but got " + images);
        }
        NetworkKind kind = options.kind();
        Backend.init();
        Dataset train = FashionMnist.load(options.data).trainingSet(images, DataType.FLOAT);
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
                + " \"peak_rss_kb\": %d}%n", options.network, train.size(), seconds, loss,
                ProcessMemory.peakResidentKilobytes());
        return 0;
    }
}
