package io.structflow.examples.pnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import io.structflow.core.autodiff.Tensor;
import io.structflow.imaging.Denoiser;
import io.structflow.imaging.ImageIo;
import io.structflow.imaging.ImageMetrics;
import io.structflow.imaging.denoisers.FlowDenoiser;
import io.structflow.imaging.denoisers.PatchTrainer;
import io.structflow.layers.verify.Check;
import io.structflow.layers.verify.PropertyChecks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The Euler gradient-step denoiser after a small training budget: 1-Lipschitz by its own bound
 * and by measurement, better than the noisy input, and a PnP iteration with it whose steps
 * ‖x_{k+1} − x_k‖ never increase.
 */
class FlowDenoiserTest {
    private static final int PATCH = 16;
    private static final int SIDE = 32;
    private static ImageSets images;
    private static FlowDenoiser trained;
    /** Trained for the weaker noise of the deblurring problem, as the deblur command does (its default σ = 0.03). */
    private static FlowDenoiser trainedForPnp;

    @BeforeAll
    static void train() throws Exception {
        Backend.init();
        images = ImageSets.load(ImageSets.Source.SKIMAGE, SIDE, 1, DataType.DOUBLE);
        trained = new FlowDenoiser(new FlowDenoiser.Architecture(4, 16, 4, 3), FlowDenoiser.Scheme.EULER, PATCH, PATCH,
                DataType.FLOAT, 3, FlowDenoiser.initialStepFor(0.1));
        PatchTrainer.train(trained, images.train(), new PatchTrainer.Settings(120, 16, PATCH, 512, 3e-3, 0.1, 3),
                DataType.FLOAT, null);
        trained.certify();
        trainedForPnp = new FlowDenoiser(new FlowDenoiser.Architecture(4, 16, 4, 3), FlowDenoiser.Scheme.EULER, PATCH,
                PATCH, DataType.FLOAT, 4, FlowDenoiser.initialStepFor(0.03));
        PatchTrainer.train(trainedForPnp, images.train(), new PatchTrainer.Settings(120, 16, PATCH, 512, 3e-3, 0.03, 4),
                DataType.FLOAT, null);
        trainedForPnp.certify();
    }

    @Test
    void trainedEuler_isOneLipschitzByBoundAndMeasurement() {
        assertEquals(1.0, trained.lipschitzBound(), 0.0);
        assertTrue(trained.averagedness() < 1, "averagedness " + trained.averagedness());
        for (double tau : trained.steps()) {
            assertTrue(tau >= 0 && tau <= FlowDenoiser.STEP_MAX, "step " + tau);
        }
        FlowDenoiser f64 = trained.resized(PATCH, PATCH, DataType.DOUBLE, FlowDenoiser.Scheme.EULER);
        Tensor x = ImageIo.randomPatches(images.train(), 4, PATCH, 11).add(
                Tensor.randn(DataType.DOUBLE, new java.util.SplittableRandom(12), 4, 1, PATCH, PATCH).mul(0.1));
        Check pairs = PropertyChecks.lipschitzRatio(f64::forward, x, 0.3, 6, 13, 1.0, 1e-9);
        assertTrue(pairs.passed(), pairs.toString());
        assertTrue(pairs.value() > 0.05, "a denoiser that is not the zero map: " + pairs);
        Check jacobian = PropertyChecks.jacobianNorm(f64::forward, x, 30, 14, 1.0, 1e-6);
        assertTrue(jacobian.passed(), jacobian.toString());
    }

    @Test
    void trainedEuler_improvesPsnrOnAHeldOutImage() {
        FlowDenoiser onTest = trained.resized(SIDE, SIDE, DataType.FLOAT, FlowDenoiser.Scheme.EULER);
        Tensor clean = images.test().get(0).to(DataType.FLOAT);
        Tensor noisy = ImageIo.addGaussianNoise(clean, 0.1, 21);
        double before = ImageMetrics.psnr(noisy, clean);
        double after = ImageMetrics.psnr(Denoiser.of(onTest).denoise(noisy), clean);
        assertTrue(after > before + 1.0, "PSNR noisy " + before + " → denoised " + after);
    }

    @Test
    void pnpWithTrainedEuler_stepsDecayMonotonically() {
        FlowDenoiser f64 = trainedForPnp.resized(SIDE, SIDE, DataType.DOUBLE, FlowDenoiser.Scheme.EULER);
        DeblurExperiment.Config config = new DeblurExperiment.Config(5, 0, 0.01, 0.03, f64.architecture(),
                new PatchTrainer.Settings(1, 1, PATCH, 1, 1e-3, 0.1, 0), 0.95, 60, 0, DataType.DOUBLE);
        Tensor clean = images.test().get(0).to(DataType.DOUBLE);
        DeblurExperiment.Result r = DeblurExperiment.deblur(config, Denoiser.of(f64), clean, 5, f64.parameterCount(),
                Double.NaN, 0);
        double[] c = r.reconstruction().changes();
        assertEquals(60, c.length);
        for (int k = 1; k < c.length; k++) {
            assertTrue(c[k] <= c[k - 1] * (1 + 1e-9), "‖x_{k+1} − x_k‖ increased at k = " + k + ": " + c[k - 1] + " → " + c[k]);
        }
        assertTrue(c[c.length - 1] < 0.2 * c[0], "steps shrink: " + c[0] + " → " + c[c.length - 1]);
        assertTrue(r.maxChangeRatio() <= 1 + 1e-9);
        assertTrue(r.psnrPnp() > r.psnrBlurred(), "PnP " + r.psnrPnp() + " vs blurred " + r.psnrBlurred());
    }
}
