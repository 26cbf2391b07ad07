package io.structflow.examples.dynamics;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Module;
import io.structflow.core.optim.Adam;
import io.structflow.core.train.EpochResult;
import io.structflow.core.train.Trainer;
import io.structflow.examples.support.OptionRanges;
import io.structflow.examples.support.Progress;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Fits a network {@code Φ_θ} to a flow map from trajectory pairs {@code (xᵢ, yᵢ = φ_t(xᵢ))} by
 * minimising the mean squared error
 * <pre>  L(θ) = (1/(N n)) Σᵢ ‖Φ_θ(xᵢ) − yᵢ‖²</pre>
 * with Adam on shuffled mini-batches (the last, smaller batch of an epoch is dropped, so every
 * training step has the same shape and is replayed by {@link Trainer.Builder#compiled(boolean)}).
 * Used by the SIR ([CMOSS] §4.3) and pendulum ([M-slides]) experiments.
 */
public final class FlowMapFit {
    private FlowMapFit() {
    }

    /**
     * Optimiser settings.
     *
     * @param epochs       passes over the training pairs, at least 1
     * @param batchSize    pairs per step, at least 1 and at most the number of training pairs
     * @param learningRate Adam's learning rate in the first epoch, positive
     * @param finalRate    the rate of the last epoch, in {@code (0, learningRate]}; the rate falls
     *                     from {@code learningRate} to it along a cosine (equal rates: constant)
     * @param seed         seed of the batch order
     */
    public record Settings(int epochs, int batchSize, double learningRate, double finalRate, long seed) {
        /** Validates the settings; messages name the command's options. */
        public Settings {
            OptionRanges.atLeast("--epochs", epochs, 1);
            OptionRanges.atLeast("--batch", batchSize, 1);
            OptionRanges.positive("--lr", learningRate);
            if (!(finalRate > 0) || finalRate > learningRate) {
                throw new IllegalArgumentException("--lr-final: expected a value in (0, --lr = " + learningRate
                        + "] but got " + finalRate);
            }
        }

        /**
         * Checks that a batch fits in the training pairs.
         *
         * @throws IllegalArgumentException naming {@code --batch} and {@code --train} when it does not
         */
        public void requireBatchAtMost(int trainSize) {
            if (batchSize > trainSize) {
                throw new IllegalArgumentException("--batch: expected at most --train = " + trainSize + " but got "
                        + batchSize);
            }
        }

        /** A constant learning rate. */
        public static Settings constant(int epochs, int batchSize, double learningRate, long seed) {
            return new Settings(epochs, batchSize, learningRate, learningRate, seed);
        }
    }

    /**
     * Trains {@code model} on the pairs {@code (x, y)}.
     *
     * @param model the network; its parameters are updated in place
     * @param x     inputs {@code [N, n]}; not mutated
     * @param y     targets {@code [N, n]}, the type of {@code x}; not mutated
     * @param s     optimiser settings
     * @param task  name shown on the progress bar
     * @return the mean training loss of every epoch
     * @throws IllegalArgumentException if shapes disagree or the batch is larger than N
     * @throws IOException never in practice (the trainer writes no checkpoint here)
     */
    public static double[] train(Module model, Tensor x, Tensor y, Settings s, String task) throws IOException {
        return train(model, x, y, s, task, true);
    }

    /**
     * {@link #train(Module, Tensor, Tensor, Settings, String)}, with steps replayed
     * ({@link Trainer.Builder#compiled(boolean)}: fast for small networks, but the recording keeps
     * every array of a step) or run eagerly (memory freed as the step goes; what a network trained
     * to save memory needs).
     */
    public static double[] train(Module model, Tensor x, Tensor y, Settings s, String task, boolean compiled)
            throws IOException {
        if (!Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("FlowMapFit.train: y expected the shape of x "
                    + Arrays.toString(x.shape()) + " but got " + Arrays.toString(y.shape()));
        }
        if (s.batchSize() > x.size(0)) {
            throw new IllegalArgumentException("FlowMapFit.train: batchSize expected at most the " + x.size(0)
                    + " training pairs but got " + s.batchSize());
        }
        Dataset data = Dataset.regression(task, x.value(), y.value());
        Adam adam = new Adam(model, Adam.Config.defaults(s.learningRate()));
        try (Progress progress = new Progress(task, s.epochs())) {
            List<EpochResult> history = Trainer.builder(model, adam,
                            (m, batch) -> Losses.mse(m.forward(batch.x()), batch.y()),
                            new DataLoader(data, s.batchSize(), true, s.seed(), true))
                    .epochs(s.epochs())
                    .schedule(epoch -> s.epochs() == 1 ? s.learningRate() : s.finalRate() + 0.5
                            * (s.learningRate() - s.finalRate()) * (1 + Math.cos(Math.PI * epoch / (s.epochs() - 1))))
                    .compiled(compiled)
                    .callback((epoch, m, metrics) -> {
                        progress.step();
                        progress.message(String.format("loss %.3e", metrics.get("loss")));
                    })
                    .build()
                    .fit();
            return history.stream().mapToDouble(EpochResult::loss).toArray();
        }
    }

    /** {@code model(x)} without recording a graph. */
    public static Tensor predict(Module model, Tensor x) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return model.forward(x);
        }
    }

    /** The test error {@code mean((model(x) − y)²)} over every entry, accumulated in double. */
    public static double mse(Module model, Tensor x, Tensor y) {
        return mse(predict(model, x), y);
    }

    /**
     * {@code mean((a − b)²)} over every entry, accumulated in double.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public static double mse(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("FlowMapFit.mse: b expected the shape of a " + Arrays.toString(a.shape())
                    + " but got " + Arrays.toString(b.shape()));
        }
        double[] u = a.toDoubleArray();
        double[] v = b.toDoubleArray();
        double sum = 0;
        for (int i = 0; i < u.length; i++) {
            double d = u[i] - v[i];
            sum += d * d;
        }
        return sum / u.length;
    }
}
