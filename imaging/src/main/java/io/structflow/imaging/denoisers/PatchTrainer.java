package io.structflow.imaging.denoisers;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Module;
import io.structflow.core.optim.Adam;
import io.structflow.core.train.CompiledStep;
import io.structflow.imaging.ImageIo;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Trains a denoiser D on noisy patches with the mean squared error
 * <pre>
 *   min_θ  E ‖D_θ(x + σn) − x‖² / N,     x a random training patch,  n ~ N(0, I)
 * </pre>
 * by Adam with a cosine learning-rate decay (to 5% of the initial rate). A pool of patches is drawn
 * once from the training images ({@link ImageIo#randomPatches}, seeded); each step picks a batch
 * from the pool, applies a random flip/transpose (one of the 8 symmetries of the square) and adds
 * fresh Gaussian noise, all from one seeded generator. Constraints attached to the model's
 * parameters are projected after every step (by the optimiser). The forward–backward pass is
 * recorded once and replayed ({@link CompiledStep}).
 */
public final class PatchTrainer {
    /**
     * @param steps    optimiser steps ≥ 1
     * @param batch    patches per step ≥ 1
     * @param patch    patch side
     * @param pool     patches in the pool ≥ batch
     * @param lr       initial Adam learning rate
     * @param sigma    noise standard deviation on the [0, 1] scale
     * @param seed     seed of the pool, the batches and the noise
     */
    public record Settings(int steps, int batch, int patch, int pool, double lr, double sigma, long seed)
            implements java.io.Serializable {
        public Settings {
            if (steps < 1 || batch < 1 || patch < 4 || pool < batch) {
                throw new IllegalArgumentException("PatchTrainer.Settings: expected steps ≥ 1, batch ≥ 1, patch ≥ 4 and "
                        + "pool ≥ batch but got steps=" + steps + ", batch=" + batch + ", patch=" + patch + ", pool=" + pool);
            }
            if (!(lr > 0) || !(sigma > 0) || !Double.isFinite(lr) || !Double.isFinite(sigma)) {
                throw new IllegalArgumentException("PatchTrainer.Settings: expected lr > 0 and sigma > 0 but got lr=" + lr
                        + ", sigma=" + sigma);
            }
        }
    }

    private PatchTrainer() {
    }

    /**
     * Trains {@code model} in place.
     *
     * @param model    the denoiser, acting on {@code [batch, 1, patch, patch]}
     * @param images   training images {@code [1, 1, H, W]}, each at least patch × patch
     * @param settings the schedule
     * @param type     element type of the batches (the model's)
     * @param onStep   called after each step with its index (for a progress bar), may be null
     * @return the batch loss of every step
     */
    public static double[] train(Module model, List<Tensor> images, Settings settings, DataType type, IntConsumer onStep) {
        int p = settings.patch();
        int n = p * p;
        double[] pool = ImageIo.randomPatches(images, settings.pool(), p, settings.seed()).toDoubleArray();
        SplittableRandom rng = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        Adam adam = new Adam(model, Adam.Config.defaults(settings.lr()));
        CompiledStep step = new CompiledStep(model, (m, b) -> Losses.mse(m.forward(b.x()), b.y()));
        double[] losses = new double[settings.steps()];
        double[] clean = new double[settings.batch() * n];
        double[] noisy = new double[clean.length];
        for (int t = 0; t < settings.steps(); t++) {
            double progress = (double) t / settings.steps();
            adam.setLearningRate(settings.lr() * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress))));
            for (int b = 0; b < settings.batch(); b++) {
                int src = rng.nextInt(settings.pool()) * n;
                int symmetry = rng.nextInt(8);
                for (int i = 0; i < p; i++) {
                    for (int j = 0; j < p; j++) {
                        int a = (symmetry & 1) == 0 ? i : p - 1 - i;
                        int c = (symmetry & 2) == 0 ? j : p - 1 - j;
                        int at = (symmetry & 4) == 0 ? a * p + c : c * p + a;
                        double v = pool[src + at];
                        clean[b * n + i * p + j] = v;
                        noisy[b * n + i * p + j] = v + settings.sigma() * rng.nextGaussian();
                    }
                }
            }
            Batch batch = new Batch(Tensor.of(type, noisy, settings.batch(), 1, p, p),
                    Tensor.of(type, clean, settings.batch(), 1, p, p), null);
            losses[t] = step.run(batch);
            adam.step();
            if (onStep != null) {
                onStep.accept(t);
            }
        }
        return losses;
    }
}
