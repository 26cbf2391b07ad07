package io.structflow.examples.approximation;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.loss.Losses;
import io.structflow.core.optim.Adam;
import io.structflow.core.optim.CosineAnnealing;
import io.structflow.core.train.EpochResult;
import io.structflow.core.train.Trainer;
import io.structflow.examples.support.OptionRanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The protocol of [CMOSS] App. A (Fig. 7) for one target: draw {@code samples} points uniformly
 * from the target's box, fit a {@link FlowApproximator} by mean squared error with Adam (cosine
 * annealed learning rate, mini-batches), then report the maximum absolute error and the RMSE on
 * the target's test grid — together with the same figures for the untrained network, the floor
 * any claim of learning must beat.
 */
public final class ApproximationExperiment {
    private ApproximationExperiment() {
    }

    /**
     * Everything a run needs besides the target and the seed.
     *
     * @param width        lifted dimension n
     * @param blocks       (gradient, sphere) step pairs
     * @param hidden       hidden width of each field
     * @param initialStep  initial learnable step of every layer
     * @param gradient     gradient field family
     * @param sphere       sphere-preserving field family
     * @param samples      training points
     * @param epochs       training epochs
     * @param batch        mini-batch size
     * @param learningRate Adam's initial rate (cosine annealed to 1% of it)
     * @param type         FLOAT or DOUBLE
     */
    public record Settings(int width, int blocks, int hidden, double initialStep,
                           FlowApproximator.GradientKind gradient, FlowApproximator.SphereKind sphere,
                           int samples, int epochs, int batch, double learningRate, DataType type) {
        /** Validates the settings; messages name the command's options. */
        public Settings {
            OptionRanges.atLeast("--width", width, 2);
            OptionRanges.atLeast("--blocks", blocks, 1);
            OptionRanges.atLeast("--hidden", hidden, 1);
            OptionRanges.finite("--step", initialStep);
            OptionRanges.atLeast("--samples", samples, 1);
            OptionRanges.atLeast("--epochs", epochs, 1);
            OptionRanges.atLeast("--batch", batch, 1);
            OptionRanges.positive("--lr", learningRate);
        }

        /** The architecture for a target of input dimension {@code in}. */
        public FlowApproximator.Architecture architecture(int in) {
            return new FlowApproximator.Architecture(in, width, blocks, hidden, initialStep, gradient, sphere);
        }
    }

    /**
     * The result of one run.
     *
     * @param target            the target
     * @param seed              the run's seed (initialisation, samples and batch order)
     * @param maxError          {@code max |N(x) − target(x)|} over the test grid, trained
     * @param rmse              root mean squared error over the test grid, trained
     * @param untrainedMaxError {@code max |N(x) − target(x)|} of the same network before training
     * @param finalLoss         training MSE of the last epoch
     * @param parameters        number of trained scalars
     * @param seconds           wall-clock training time
     * @param grid              the test grid points {@code [G][d]}
     * @param truth             the target on the grid
     * @param prediction        the trained network on the grid
     */
    public record Outcome(Target target, long seed, double maxError, double rmse, double untrainedMaxError,
                          double finalLoss, long parameters, double seconds, double[][] grid, double[] truth,
                          double[] prediction) {
    }

    /**
     * Trains and evaluates one network.
     *
     * @param onEpoch called after every epoch (progress display); may be a no-op
     */
    public static Outcome run(Target target, Settings s, long seed, Runnable onEpoch) {
        FlowApproximator model = new FlowApproximator(s.architecture(target.dimension()), s.type(), seed);
        double[][] grid = target.grid();
        double[] truth = target.values(grid);
        double untrained = maxAbs(predict(model, grid, s.type()), truth);

        double[][] x = target.sample(s.samples(), seed ^ 0x5DEECE66DL);
        double[] y = target.values(x);
        Dataset train = Dataset.regression(target.key() + "-train", matrix(x, s.type()),
                Nd4j.create(y, new long[] {y.length, 1}, 'c').castTo(s.type()));
        Adam adam = new Adam(model, Adam.Config.defaults(s.learningRate()));
        long start = System.nanoTime();
        List<EpochResult> history;
        try {
            history = Trainer.builder(model, adam, (m, b) -> Losses.mse(m.forward(b.x()), b.y()),
                            new DataLoader(train, Math.min(s.batch(), s.samples()), true, seed, false))
                    .epochs(s.epochs())
                    .schedule(new CosineAnnealing(s.learningRate(), s.learningRate() / 100, s.epochs()))
                    .callback((epoch, m, metrics) -> onEpoch.run())
                    .compiled(true)
                    .build()
                    .fit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] prediction = predict(model, grid, s.type());
        return new Outcome(target, seed, maxAbs(prediction, truth), rms(prediction, truth), untrained,
                history.get(history.size() - 1).loss(), model.parameterCount(), seconds, grid, truth, prediction);
    }

    /** The network's values at {@code points} {@code [G][d]}, evaluated without a graph. */
    public static double[] predict(FlowApproximator model, double[][] points, DataType type) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor out = model.forward(Tensor.constant(matrix(points, type)));
            return out.reshape(points.length).toDoubleArray();
        }
    }

    /** {@code max_i |a_i − b_i|}. */
    public static double maxAbs(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** {@code √(mean_i (a_i − b_i)²)}. */
    public static double rms(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }

    private static org.nd4j.linalg.api.ndarray.INDArray matrix(double[][] rows, DataType type) {
        return Nd4j.createFromArray(rows).castTo(type);
    }
}
