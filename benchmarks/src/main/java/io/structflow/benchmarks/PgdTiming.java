package io.structflow.benchmarks;

import io.structflow.core.Backend;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.FashionMnist;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.RobustNetworks;
import io.structflow.robustness.PgdL2;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Wall-clock time of the robustness example's attack ([CMOSS] §3.3): 10-step ℓ2-PGD with a random
 * start and step 0.025·ε ({@link PgdL2.Config#defaults()}, inputs clipped to [0, 1], as the
 * robustness example attacks) on the first {@code images} Fashion-MNIST
 * test images, in batches of {@code batch}, at ε = 0.5, against a Fashion-MNIST network of
 * {@link Architecture#defaults} (weights as initialised: the cost does not depend on them). Prints
 * one JSON line.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.structflow.benchmarks.PgdTiming \
 *       [--network prescribed|resnet] [--images 1024] [--batch 256] [--data DIR]
 * </pre>
 */
@Command(name = "PgdTiming", mixinStandardHelpOptions = true,
        description = "Time of a 10-step l2-PGD on Fashion-MNIST test images.")
public final class PgdTiming implements Callable<Integer> {
    @Mixin
    private FashionMnistOptions options;

    @Option(names = "--images", defaultValue = "1024", description = "test images attacked (default ${DEFAULT-VALUE})")
    private int images;

    @Option(names = "--batch", defaultValue = "256", description = "images per attack batch (default ${DEFAULT-VALUE})")
    private int batch;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PgdTiming()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch: expected ≥ 1 but got " + batch);
        }
        NetworkKind kind = options.kind();
        Backend.init();
        Dataset test = FashionMnist.load(options.data).testSet(images, DataType.FLOAT);
        Tensor all = Tensor.constant(test.features());
        RobustNetworks.Network net = RobustNetworks.build(kind, Architecture.defaults(DataType.FLOAT, 1), 10);
        PgdL2 pgd = new PgdL2(PgdL2.Config.defaults().withInputBox(0, 1).withSeed(1));
        SplittableRandom rng = new SplittableRandom(1);
        long start = System.nanoTime();
        int succeeded = 0;
        for (int from = 0; from < test.size(); from += batch) {
            int to = Math.min(test.size(), from + batch);
            Tensor x = all.slice(0, from, to);
            int[] labels = Arrays.copyOfRange(test.labels(), from, to);
            for (boolean s : pgd.attack(net.model(), x, labels, 0.5, rng).success()) {
                succeeded += s ? 1 : 0;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("{\"network\": \"%s\", \"images\": %d, \"batch\": %d, \"pgd_steps\": 10, \"seconds\": %.2f,"
                + " \"successes\": %d}%n", options.network, test.size(), batch, seconds, succeeded);
        return 0;
    }
}
