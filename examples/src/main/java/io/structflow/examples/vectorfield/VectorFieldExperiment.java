package io.structflow.examples.vectorfield;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.optim.Adam;
import io.structflow.core.optim.CosineAnnealing;
import io.structflow.core.train.EpochResult;
import io.structflow.core.train.Trainer;
import io.structflow.examples.support.OptionRanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The protocol of [CMOSS] App. A (Fig. 8) for one field: draw {@code samples} initial states
 * uniformly from the field's box, pair each with its exact flow after time h, fit a
 * {@link SplitFieldNetwork} by the mean squared discrete gradient defect
 * ({@link SplitFieldNetwork#loss}; no nonlinear solve) with Adam, then compare the learned field
 * {@code X_θ = X_S + X_G} with the true one on the test grid:
 * <pre>
 *   max error      = max_x ‖X_θ(x) − X(x)‖₂
 *   relative L2    = ( Σ_x ‖X_θ(x) − X(x)‖² / Σ_x ‖X(x)‖² )^{1/2}
 * </pre>
 * and the same for the untrained network.
 */
public final class VectorFieldExperiment {
    /** RK4 sub-steps per data step (local error ~(h/20)⁵, far below the learning error). */
    static final int FLOW_SUBSTEPS = 20;

    private VectorFieldExperiment() {
    }

    /**
     * Everything a run needs besides the field and the seed.
     *
     * @param hidden       hidden width of both parts of the network
     * @param step         time h between the two states of a pair (also the model's step)
     * @param composition  how the parts' steps are composed
     * @param samples      training pairs
     * @param epochs       training epochs
     * @param batch        mini-batch size
     * @param learningRate Adam's initial rate (cosine annealed to 1% of it)
     * @param type         FLOAT or DOUBLE
     */
    public record Settings(int hidden, double step, SplitFieldNetwork.Composition composition, int samples, int epochs,
                           int batch, double learningRate, DataType type) {
        /** Validates the settings; messages name the command's options. */
        public Settings {
            OptionRanges.atLeast("--hidden", hidden, 1);
            OptionRanges.atLeast("--samples", samples, 1);
            OptionRanges.atLeast("--epochs", epochs, 1);
            OptionRanges.atLeast("--batch", batch, 1);
            OptionRanges.positive("--step", step);
            OptionRanges.positive("--lr", learningRate);
            if (composition == null || type == null) {
                throw new IllegalArgumentException("VectorFieldExperiment: composition and type expected non-null");
            }
        }
    }

    /**
     * The result of one run.
     *
     * @param field             the target field
     * @param seed              the run's seed
     * @param maxError          max over the grid of ‖X_θ − X‖₂, trained
     * @param relativeL2        relative L2 error over the grid, trained
     * @param untrainedMaxError max error of the untrained network
     * @param untrainedRelativeL2 relative L2 error of the untrained network
     * @param finalLoss         mean squared defect of the last epoch (field units²)
     * @param parameters        number of trained scalars
     * @param seconds           wall-clock training time
     * @param network           the trained network
     */
    public record Outcome(TargetField field, long seed, double maxError, double relativeL2, double untrainedMaxError,
                          double untrainedRelativeL2, double finalLoss, long parameters, double seconds,
                          SplitFieldNetwork network) {
    }

    /** The pairs {@code (x, φ_h(x))} as a regression data set of the given type. */
    public static Dataset pairs(TargetField field, int samples, double h, long seed, DataType type) {
        double[][] x = field.sample(samples, seed);
        double[][] y = new double[samples][];
        for (int i = 0; i < samples; i++) {
            y[i] = field.flow(x[i], h, FLOW_SUBSTEPS);
        }
        return Dataset.regression(field.key() + "-pairs", matrix(x, type), matrix(y, type));
    }

    /**
     * Trains and evaluates one network.
     *
     * @param onEpoch called after every epoch (progress display); may be a no-op
     */
    public static Outcome run(TargetField field, Settings s, long seed, Runnable onEpoch) {
        SplitFieldNetwork model = new SplitFieldNetwork(field.dimension(), s.hidden(), s.composition(), s.type(), seed);
        double[][] grid = field.grid();
        double[][] truth = field.values(grid);
        double[][] before = evaluate(model, grid, s.type());
        Dataset train = pairs(field, s.samples(), s.step(), seed ^ 0x9E3779B97F4A7C15L, s.type());
        Adam adam = new Adam(model, Adam.Config.defaults(s.learningRate()));
        long start = System.nanoTime();
        List<EpochResult> history;
        try {
            history = Trainer.builder(model, adam, (m, b) -> ((SplitFieldNetwork) m).loss(b.x(), b.y(), s.step()),
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
        double[][] after = evaluate(model, grid, s.type());
        return new Outcome(field, seed, maxError(after, truth), relativeL2(after, truth), maxError(before, truth),
                relativeL2(before, truth), history.get(history.size() - 1).loss(), model.parameterCount(), seconds, model);
    }

    /** The learned field {@code X_S + X_G} at each point, without a graph, {@code [points][n]}. */
    public static double[][] evaluate(SplitFieldNetwork model, double[][] points, DataType type) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor out = model.forward(Tensor.constant(matrix(points, type)));
            double[] flat = out.toDoubleArray();
            int n = points[0].length;
            double[][] rows = new double[points.length][n];
            for (int i = 0; i < points.length; i++) {
                System.arraycopy(flat, i * n, rows[i], 0, n);
            }
            return rows;
        }
    }

    /** {@code max_i ‖a_i − b_i‖₂}. */
    public static double maxError(double[][] a, double[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < a[i].length; j++) {
                s += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]);
            }
            m = Math.max(m, Math.sqrt(s));
        }
        return m;
    }

    /** {@code (Σ_i ‖a_i − b_i‖² / Σ_i ‖b_i‖²)^{1/2}}. */
    public static double relativeL2(double[][] a, double[][] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                num += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]);
                den += b[i][j] * b[i][j];
            }
        }
        return Math.sqrt(num / den);
    }

    static INDArray matrix(double[][] rows, DataType type) {
        return Nd4j.createFromArray(rows).castTo(type);
    }
}
