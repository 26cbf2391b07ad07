package io.structflow.examples;

import io.structflow.imaging.denoisers.FlowDenoiser;
import io.structflow.examples.pnp.ImageSets;
import io.structflow.imaging.denoisers.PatchTrainer;
import io.structflow.examples.support.DataTypeConverter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Option;

/**
 * The options {@code denoise} and {@code deblur} share (a picocli mixin): the images, the Euler
 * denoiser's architecture ({@link FlowDenoiser.Architecture}) and its patch-training schedule
 * ({@link PatchTrainer.Settings}), with the defaults of the full and the {@code --quick} protocol.
 */
final class DenoiserTrainingOptions {
    @Option(names = "--data", defaultValue = "skimage", description = "skimage (natural images), fmnist, or a directory "
            + "with train/ and test/ folders of PNG or JPEG images, e.g. BSDS500's data/images (default ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--runs", defaultValue = "1", description = "independent runs (seeds seed, seed+1, …); PSNR is averaged (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = {"--steps", "--epochs"}, description = "training steps (mini-batches) of each trained denoiser (default 1500; quick 60)")
    Integer steps;

    @Option(names = "--batch", defaultValue = "16", description = "patches per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--patch", description = "training patch side (default 32; quick 24; fmnist 28)")
    Integer patch;

    @Option(names = "--lr", defaultValue = "2e-3", description = "initial Adam learning rate, cosine decay (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--channels", defaultValue = "8", description = "lifted channels C of the Euler denoiser (default ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--hidden", defaultValue = "32", description = "channels m of each convolution K_i (default ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--layers", defaultValue = "8", description = "gradient steps of the Euler denoiser (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--kernel", defaultValue = "3", description = "odd side of each convolution K_i (default ${DEFAULT-VALUE})")
    int kernel;

    @Option(names = "--activation", defaultValue = "relu", description = "σ of the Euler denoiser's fields: relu or tanh (default ${DEFAULT-VALUE})")
    String activation;

    @Option(names = "--state-scale", defaultValue = "1", description = "scale s of the lift s·L₀ and projection L₀ᵀ/s; tanh saturates at about 1/s in image units (default ${DEFAULT-VALUE})")
    double stateScale;

    @Option(names = "--dtype", defaultValue = "float32", converter = DataTypeConverter.class,
            description = "float32 or float64 (default ${DEFAULT-VALUE})")
    DataType dtype;

    @Option(names = "--quick", description = "short run: small patches and images, few training steps")
    boolean quick;

    /** Where the images come from. */
    ImageSets.Source source() {
        return ImageSets.Source.parse(data);
    }

    /** Whether the images are Fashion-MNIST's 28×28 ones. */
    boolean fmnist() {
        return source() == ImageSets.Source.FMNIST;
    }

    /** Training steps: {@code --steps}, else 1 500 (quick 60). */
    int trainingSteps() {
        return positive("--steps", steps != null ? steps : quick ? 60 : 1500);
    }

    /** Training patch side: {@code --patch}, else 32 (quick 24, Fashion-MNIST 28). */
    int patchSide() {
        return patch != null ? patch : fmnist() ? 28 : quick ? 24 : 32;
    }

    /** A centre-crop side: {@code given}, else 128 (quick 48, Fashion-MNIST 28). */
    int imageSide(Integer given) {
        return given != null ? given : fmnist() ? 28 : quick ? 48 : 128;
    }

    /**
     * The Euler denoiser's architecture.
     *
     * @throws IllegalArgumentException naming the option that is out of range
     */
    FlowDenoiser.Architecture architecture() {
        positive("--channels", channels);
        positive("--hidden", hidden);
        positive("--layers", layers);
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("--kernel: expected an odd integer ≥ 1 but got " + kernel);
        }
        if (!(stateScale > 0) || !Double.isFinite(stateScale)) {
            throw new IllegalArgumentException("--state-scale: expected a finite value > 0 but got " + stateScale);
        }
        return new FlowDenoiser.Architecture(channels, hidden, layers, kernel,
                FlowDenoiser.Architecture.activationNamed(activation), stateScale);
    }

    /**
     * Checks every shared option.
     *
     * @throws IllegalArgumentException naming the first option out of range
     */
    void validate() {
        positive("--runs", runs);
        positive("--batch", batch);
        trainingSteps();
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("--lr: expected a finite value > 0 but got " + lr);
        }
        architecture();
    }

    /** The patch-training schedule of run {@code run} (seed {@code seed + run}) for noise level {@code sigma}. */
    PatchTrainer.Settings schedule(double sigma, int run) {
        return new PatchTrainer.Settings(trainingSteps(), batch, patchSide(), Math.max(batch, quick ? 512 : 4096), lr,
                sigma, seed + run);
    }

    /** snake_case entries for results.json. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", trainingSteps());
        m.put("batch", batch);
        m.put("patch", patchSide());
        m.put("lr", lr);
        m.put("channels", channels);
        m.put("hidden", hidden);
        m.put("layers", layers);
        m.put("kernel", kernel);
        m.put("activation", architecture().activationName());
        m.put("state_scale", stateScale);
        m.put("seed", seed);
        m.put("runs", runs);
        m.put("dtype", dtype == DataType.DOUBLE ? "float64" : "float32");
        m.put("quick", quick);
        return m;
    }

    static int positive(String option, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(option + ": expected ≥ 1 but got " + v);
        }
        return v;
    }
}
