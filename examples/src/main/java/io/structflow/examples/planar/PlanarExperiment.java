package io.structflow.examples.planar;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.loss.Losses;
import io.structflow.core.optim.Adam;
import io.structflow.core.train.EpochResult;
import io.structflow.core.train.Trainer;
import io.structflow.layers.models.Family;
import io.structflow.layers.models.PlanarClassifier;
import io.structflow.layers.verify.PropertyChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Trains and evaluates the networks of [CMOSS] §1.1 / Table 1 on one planar data set: for each
 * run, a fresh {@link PlanarClassifier} trained with cross-entropy and Adam on mini-batches
 * (steps projected after every optimiser step), through the compiled (record/replay) training
 * step of {@link Trainer}; then test accuracy, final time {@code T = Σ|hᵢ|}, the learned steps,
 * the empirical Lipschitz ratio of the dynamical part and the step constraints' violation.
 */
public final class PlanarExperiment {
    /** Radius of the random partners of the Lipschitz check. */
    static final double LIPSCHITZ_RADIUS = 0.5;
    /** Random partners per test point in the Lipschitz check. */
    static final int LIPSCHITZ_ROUNDS = 4;

    private final Settings settings;
    private final Dataset train;
    private final Dataset test;

    /**
     * @param settings the experiment's settings
     * @param dataSeed seed of the data (ignored by the noise-free disc)
     */
    public PlanarExperiment(Settings settings, long dataSeed) {
        this.settings = settings;
        this.train = settings.dataset().train(settings.trainSize(), dataSeed, settings.type());
        this.test = settings.dataset().test(settings.testSize(), dataSeed, settings.type());
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /** The training set. */
    public Dataset train() {
        return train;
    }

    /** The test set. */
    public Dataset test() {
        return test;
    }

    /** A trained network and its figures. */
    public record Trained(PlanarClassifier model, RunResult result) {
    }

    /**
     * Trains one network of {@code family} from {@code seed}.
     *
     * @param compiled train through the compiled step (true) or eagerly (false; same numbers, slower)
     */
    public Trained run(Family family, long seed, boolean compiled) {
        PlanarClassifier model = new PlanarClassifier(family, settings.architecture(), seed);
        Adam adam = new Adam(model, Adam.Config.defaults(settings.learningRate()));
        DataLoader loader = new DataLoader(train, settings.batchSize(), true, seed, false);
        long start = System.nanoTime();
        List<EpochResult> history;
        try {
            history = Trainer.builder(model, adam,
                            (m, batch) -> Losses.crossEntropy(m.forward(batch.x()), batch.labels()), loader)
                    .epochs(settings.epochs())
                    .compiled(compiled)
                    .build()
                    .fit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double testAccuracy = accuracy(model, test);
        double trainAccuracy = accuracy(model, train);
        Tensor x = all(test);
        double ratio = PropertyChecks.lipschitzRatio(model::features, x, LIPSCHITZ_RADIUS, LIPSCHITZ_ROUNDS, seed, 1.0,
                0.0).value();
        RunResult r = new RunResult(seed, testAccuracy, trainAccuracy, model.finalTime(), model.steps(), ratio,
                model.stepViolation(), history.get(history.size() - 1).loss(), seconds);
        return new Trained(model, r);
    }

    /** Fraction of {@code data} that {@code model} classifies correctly. */
    public static double accuracy(PlanarClassifier model, Dataset data) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return Losses.accuracy(model.forward(all(data)), data.labels());
        }
    }

    /** All features of {@code data} as one tensor {@code [n, 2]}. */
    static Tensor all(Dataset data) {
        int[] idx = new int[data.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return data.batch(idx).x();
    }
}
