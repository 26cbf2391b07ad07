package io.structflow.examples;

import io.structflow.core.autodiff.FusedGradientFlow;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.PlanarData;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.optim.Adam;
import io.structflow.core.train.EpochResult;
import io.structflow.core.train.Trainer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A one-minute tour: a classifier made of gradient-flow steps {@code x ± h·Aᵀσ(Ax + b)} with
 * orthogonal {@code A = expm(W − Wᵀ)} ([CMOSS] §1.1) learns the two-moons set; prints the loss
 * per epoch and the test accuracy.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a small gradient-flow network on two moons and print its loss falling.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "30", description = "training epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--layers", defaultValue = "6", description = "gradient-flow layers (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--width", defaultValue = "8", description = "width of the lifted state (default ${DEFAULT-VALUE})")
    int width;

    /** Linear lift, alternating contractive/expansive gradient-flow steps, linear head. */
    static final class FlowClassifier extends Module {
        private final Linear lift;
        private final Parameter[] w;
        private final Parameter[] b;
        private final Parameter[] h;
        private final Linear head;
        private final Activation sigma = Activation.leakyRelu(0.5);

        FlowClassifier(int width, int layers, SplittableRandom rng) {
            lift = register("lift", new Linear(2, width, rng));
            w = new Parameter[layers];
            b = new Parameter[layers];
            h = new Parameter[layers];
            for (int i = 0; i < layers; i++) {
                w[i] = register("w" + i, Parameter.of("w" + i, Init.orthogonal(DataType.FLOAT, rng, width, width).mul(0.5)));
                b[i] = register("b" + i, Parameter.of("b" + i, Tensor.zeros(DataType.FLOAT, width)));
                h[i] = register("h" + i, Parameter.of("h" + i, Tensor.scalar(0.3, DataType.FLOAT)));
            }
            head = register("head", new Linear(width, 2, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor z = lift.forward(x);
            for (int i = 0; i < w.length; i++) {
                Tensor a = w[i].sub(w[i].transpose()).expm();
                z = FusedGradientFlow.dense(z, a, b[i], h[i], i % 2 == 0 ? -1 : 1, sigma);
            }
            return head.forward(z);
        }
    }

    @Override
    public Integer call() throws java.io.IOException {
        Dataset train = PlanarData.twoMoons(1000, 0.1, seed, DataType.FLOAT);
        Dataset test = PlanarData.twoMoons(1000, 0.1, seed + 1000, DataType.FLOAT);
        FlowClassifier model = new FlowClassifier(width, layers, new SplittableRandom(seed));
        Adam adam = new Adam(model, Adam.Config.defaults(1e-2));
        System.out.printf("two moons, %d gradient-flow layers of width %d, %d parameters%n",
                layers, width, model.parameterCount());
        List<EpochResult> history = Trainer.builder(model, adam,
                        (m, batch) -> Losses.crossEntropy(m.forward(batch.x()), batch.labels()),
                        new DataLoader(train, 100, true, seed, false))
                .epochs(epochs)
                .compiled(true)
                .build()
                .fit();
        for (EpochResult r : history) {
            System.out.printf("epoch %3d  loss %.4f%n", r.epoch() + 1, r.loss());
        }
        double accuracy;
        try (GradMode.Scope s = GradMode.noGrad()) {
            accuracy = Losses.accuracy(model.forward(test.batch(allIndices(test.size())).x()), test.labels());
        }
        System.out.printf("test accuracy %.1f%%%n", 100 * accuracy);
        return 0;
    }

    private static int[] allIndices(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }
}
