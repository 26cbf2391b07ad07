package io.structflow.examples.pnp;

import io.structflow.constraints.linalg.MatrixFreeOperatorNorm;
import io.structflow.constraints.linalg.NormEstimateSettings;
import io.structflow.core.autodiff.Tensor;
import io.structflow.imaging.BlurOperator;
import io.structflow.imaging.DataFidelity;
import io.structflow.imaging.Denoiser;
import io.structflow.imaging.ImageIo;
import io.structflow.imaging.ImageMetrics;
import io.structflow.imaging.IterationSettings;
import io.structflow.imaging.PlugAndPlay;
import io.structflow.imaging.Reconstruction;
import io.structflow.imaging.denoisers.FlowDenoiser;
import io.structflow.imaging.denoisers.PatchTrainer;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Plug-and-play deblurring of [M-slides] ("Convergence of the PnP iterations"): a motion blur K,
 * measurements {@code y = Kx + σ_y n}, and the iteration
 * <pre>
 *   x₀ = y,    xₖ₊₁ = Γ(xₖ − τKᵀ(Kxₖ − y)),    0 &lt; τ &lt; 2/‖K‖²,
 * </pre>
 * with Γ the averaged Euler denoiser ({@link FlowDenoiser}) trained on noisy patches. Both
 * factors are averaged (the gradient step for τ &lt; 2/‖K‖², Γ by construction), so their
 * composition is averaged and {@code ‖xₖ₊₁ − xₖ‖} is non-increasing and tends to 0
 * ({@link PlugAndPlay}).
 */
public final class DeblurExperiment {
    /**
     * @param blurLength     motion blur length in pixels
     * @param blurAngle      motion direction in degrees
     * @param noiseSigma     σ_y of the measurement noise
     * @param denoiserSigma  noise level the denoiser is trained for
     * @param arch           denoiser architecture
     * @param training       the denoiser's training (its sigma is replaced by {@code denoiserSigma})
     * @param stepFraction   τ as a fraction of {@code 2/(Σ|k|)²}, in (0, 1); {@code (Σ|k|)² ≥ ‖K‖²}
     *                       (Young's inequality) is a guaranteed bound, 1 for a motion blur
     * @param maxIterations  PnP iteration budget
     * @param tolerance      stop when {@code ‖xₖ₊₁ − xₖ‖/‖xₖ₊₁‖} reaches it
     * @param type           element type
     */
    public record Config(int blurLength, double blurAngle, double noiseSigma, double denoiserSigma,
                         FlowDenoiser.Architecture arch, PatchTrainer.Settings training, double stepFraction,
                         int maxIterations, double tolerance, DataType type) {
        public Config {
            if (blurLength < 1 || !(noiseSigma >= 0) || !(denoiserSigma > 0) || !(stepFraction > 0) || !(stepFraction < 1)
                    || maxIterations < 1 || !(tolerance >= 0)) {
                throw new IllegalArgumentException("DeblurExperiment.Config: expected blurLength ≥ 1, noiseSigma ≥ 0, "
                        + "denoiserSigma > 0, stepFraction in (0, 1), maxIterations ≥ 1, tolerance ≥ 0 but got blurLength="
                        + blurLength + ", noiseSigma=" + noiseSigma + ", denoiserSigma=" + denoiserSigma + ", stepFraction="
                        + stepFraction + ", maxIterations=" + maxIterations + ", tolerance=" + tolerance);
            }
        }
    }

    /**
     * @param psnrBlurred         PSNR of y
     * @param psnrPnp             PSNR of the last iterate
     * @param finalRelativeChange {@code ‖x_K − x_{K−1}‖/‖x_K‖}
     * @param lipschitzOfGradient L = ‖K‖² (power iteration on the image size; τ uses the guaranteed bound (Σ|k|)² ≥ L)
     * @param tau                 the step τ
     * @param reconstruction      the iteration's history
     * @param clean               the test crop
     * @param blurred             y
     * @param denoiserParameters  parameters of Γ
     * @param denoiserPsnr        PSNR of Γ on the test crop with its training noise level
     * @param trainSeconds        training time of Γ
     * @param maxChangeRatio      {@code max_k ‖xₖ₊₁ − xₖ‖/‖xₖ − xₖ₋₁‖} (≤ 1 means monotone decay)
     */
    public record Result(double psnrBlurred, double psnrPnp, double finalRelativeChange, double lipschitzOfGradient,
                         double tau, Reconstruction reconstruction, Tensor clean, Tensor blurred, long denoiserParameters,
                         double denoiserPsnr, double trainSeconds, double maxChangeRatio) {
    }

    private DeblurExperiment() {
    }

    /**
     * Trains the denoiser on {@code data}'s training images and deblurs the first test crop.
     *
     * @param onStep called once per training step (progress), may be null
     */
    public static Result run(Config config, ImageSets data, IntConsumer onStep) {
        DataType type = config.type();
        PatchTrainer.Settings t = config.training();
        PatchTrainer.Settings ts = new PatchTrainer.Settings(t.steps(), t.batch(), t.patch(), t.pool(), t.lr(),
                config.denoiserSigma(), t.seed());
        FlowDenoiser trained = new FlowDenoiser(config.arch(), FlowDenoiser.Scheme.EULER, ts.patch(), ts.patch(), type,
                ts.seed(), FlowDenoiser.initialStepFor(config.denoiserSigma()));
        long t0 = System.nanoTime();
        PatchTrainer.train(trained, data.train(), ts, type, onStep);
        trained.certify();
        double seconds = (System.nanoTime() - t0) / 1e9;
        int side = data.testSide();
        FlowDenoiser denoiser = trained.resized(side, side, type, FlowDenoiser.Scheme.EULER);
        Tensor clean = data.test().get(0).to(type);
        Denoiser gamma = Denoiser.of(denoiser);
        double denoiserPsnr = ImageMetrics.psnr(gamma.denoise(ImageIo.addGaussianNoise(clean, config.denoiserSigma(),
                ts.seed() + 31)), clean);
        return deblur(config, gamma, clean, ts.seed(), denoiser.parameterCount(), denoiserPsnr, seconds);
    }

    /**
     * The PnP iteration with a given denoiser on one image.
     *
     * @param gamma the denoiser, acting on {@code clean}'s shape
     * @param clean ground truth {@code [1, 1, H, W]}
     * @param seed  seed of the measurement noise
     */
    public static Result deblur(Config config, Denoiser gamma, Tensor clean, long seed, long parameters,
                                double denoiserPsnr, double trainSeconds) {
        BlurOperator blur = BlurOperator.motion(config.blurLength(), config.blurAngle());
        Tensor blurred = ImageIo.addGaussianNoise(blur.apply(clean), config.noiseSigma(), seed + 41);
        double sigma = new MatrixFreeOperatorNorm(blur::apply, blur::adjoint, clean.shape(),
                new NormEstimateSettings(500, 20, 1e-5, seed)).estimate();
        double l = sigma * sigma;
        double tau = config.stepFraction() * 2 / blur.lipschitzUpperBound();
        PlugAndPlay pnp = new PlugAndPlay(new DataFidelity(blur, blurred), gamma, tau);
        Reconstruction r = pnp.run(blurred, new IterationSettings(config.maxIterations(), config.tolerance()), clean, 1);
        double[] c = r.changes();
        double worst = 0;
        for (int k = 1; k < c.length; k++) {
            if (c[k - 1] > 0) {
                worst = Math.max(worst, c[k] / c[k - 1]);
            }
        }
        double[] rel = r.relativeChanges();
        double[] psnr = r.psnr();
        return new Result(ImageMetrics.psnr(blurred, clean), psnr[psnr.length - 1],
                rel.length == 0 ? Double.NaN : rel[rel.length - 1], l, tau, r, clean, blurred, parameters,
                denoiserPsnr, trainSeconds, worst);
    }
}
