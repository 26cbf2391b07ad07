package io.structflow.examples.demo;

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
import io.structflow.examples.support.OptionRanges;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A one-minute tour: a classifier made of gradient-flow steps {@code x ± h·Aᵀσ(Ax + b)} with
 * orthogonal {@code A = expm(W − Wᵀ)} ([CMOSS] §1.1) learns the two-moons set.
 */
public final class DemoExperiment {
    private DemoExperiment() {
    }

    /**
     * The settings; messages name the command's options.
     *
     * @param epochs training epochs, at least 1
     * @param seed   seed of the data and the weights
     * @param layers gradient-flow layers, at least 1
     * @param width  width of the lifted state, at least 1
     */
    public record Config(int epochs, long seed, int layers, int width) {
        /** Validates the settings. */
        public Config {
            OptionRanges.atLeast("--epochs", epochs, 1);
            OptionRanges.atLeast("--layers", layers, 1);
            OptionRanges.atLeast("--width", width, 1);
        }
    }

    /**
     * What the run gave.
     *
     * @param parameters   trainable scalars of the network
     * @param losses       mean training loss per epoch
     * @param testAccuracy accuracy on 1000 held-out points
     */
    public record Result(long parameters, double[] losses, double testAccuracy) {
    }

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

    /** Trains the classifier on 1000 two-moons points and tests it on 1000 others. */
    public static Result run(Config c) throws IOException {
        Dataset train = PlanarData.twoMoons(1000, 0.1, c.seed(), DataType.FLOAT);
        Dataset test = PlanarData.twoMoons(1000, 0.1, c.seed() + 1000, DataType.FLOAT);
        FlowClassifier model = new FlowClassifier(c.width(), c.layers(), new SplittableRandom(c.seed()));
        Adam adam = new Adam(model, Adam.Config.defaults(1e-2));
        List<EpochResult> history = Trainer.builder(model, adam,
                        (m, batch) -> Losses.crossEntropy(m.forward(batch.x()), batch.labels()),
                        new DataLoader(train, 100, true, c.seed(), false))
                .epochs(c.epochs())
                .compiled(true)
                .build()
                .fit();
        double accuracy;
        try (GradMode.Scope s = GradMode.noGrad()) {
            accuracy = Losses.accuracy(model.forward(test.batch(IntStream.range(0, test.size()).toArray()).x()),
                    test.labels());
        }
        return new Result(model.parameterCount(), history.stream().mapToDouble(EpochResult::loss).toArray(), accuracy);
    }
}
