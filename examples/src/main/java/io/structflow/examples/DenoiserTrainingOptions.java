package io.structflow.examples;

import io.structflow.examples.pnp.ImageSets;
import io.structflow.examples.support.ByProtocol;
import io.structflow.examples.support.FileErrors;
import io.structflow.examples.support.OptionRanges;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.imaging.denoisers.FlowDenoiser;
import io.structflow.imaging.denoisers.PatchTrainer;
import picocli.CommandLine.Option;
import org.nd4j.linalg.api.buffer.DataType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options {@code denoise} and {@code deblur} share (a picocli mixin): the images, the Euler
 * denoiser's architecture ({@link FlowDenoiser.Architecture}) and its patch-training schedule
 * ({@link PatchTrainer.Settings}), with the defaults of the full and the {@code --quick} protocol.
 */
final class DenoiserTrainingOptions {
    @Option(names = "--data", defaultValue = "skimage", description = "skimage (natural images), fmnist, or a directory "
            + "with train/ and test/ folders of PNG or JPEG images, e.g. BSDS500's data/images (default ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--steps", description = "training steps (mini-batches) of each trained denoiser (default 1500; quick 60)")
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

    /** The shared options {@code denoise} and {@code deblur} take, with their defaults. */
    static SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().seed(1).runs(ByProtocol.of(1)).dtype(DataType.FLOAT)
                .describe(SharedOptions.RUNS, "independent runs (seeds seed, seed + 1, …); PSNR is averaged")
                .quick("short run: small patches and images, few training steps");
    }

    /** Where the images come from. */
    ImageSets.Source source() {
        return ImageSets.Source.parse(data);
    }

    /**
     * The images of {@code --data}, the test ones centre-cropped to {@code side} ({@code count} of them for
     * Fashion-MNIST).
     *
     * @throws IllegalArgumentException naming {@code --data} when they are missing or unreadable
     */
    ImageSets images(int side, int count) {
        try {
            return ImageSets.load(data, side, count, DataType.DOUBLE);
        } catch (IOException e) {
            throw new IllegalArgumentException("--data: " + FileErrors.describe(e), e);
        }
    }

    /** Whether the images are Fashion-MNIST's 28×28 ones. */
    boolean fmnist() {
        return source() == ImageSets.Source.FMNIST;
    }

    /** Training steps: {@code --steps}, else 1 500 (quick 60). */
    int trainingSteps(boolean quick) {
        return OptionRanges.atLeast("--steps", steps != null ? steps : quick ? 60 : 1500, 1);
    }

    /** Training patch side: {@code --patch}, else 32 (quick 24, Fashion-MNIST 28). */
    int patchSide(boolean quick) {
        return patch != null ? patch : fmnist() ? 28 : quick ? 24 : 32;
    }

    /** A centre-crop side: {@code given}, else 128 (quick 48, Fashion-MNIST 28). */
    int imageSide(Integer given, boolean quick) {
        return given != null ? given : fmnist() ? 28 : quick ? 48 : 128;
    }

    /**
     * The Euler denoiser's architecture.
     *
     * @throws IllegalArgumentException naming the option that is out of range
     */
    FlowDenoiser.Architecture architecture() {
        OptionRanges.atLeast("--channels", channels, 1);
        OptionRanges.atLeast("--hidden", hidden, 1);
        OptionRanges.atLeast("--layers", layers, 1);
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("--kernel: expected an odd integer ≥ 1 but got " + kernel);
        }
        OptionRanges.positive("--state-scale", stateScale);
        return new FlowDenoiser.Architecture(channels, hidden, layers, kernel,
                FlowDenoiser.Architecture.activationNamed(activation), stateScale);
    }

    /**
     * Checks every option of the training.
     *
     * @throws IllegalArgumentException naming the first option out of range
     */
    void validate(boolean quick) {
        OptionRanges.atLeast("--batch", batch, 1);
        trainingSteps(quick);
        OptionRanges.atLeast("--patch", patchSide(quick), 4);
        OptionRanges.positive("--lr", lr);
        architecture();
    }

    /** The patch-training schedule of run {@code run} (seed {@code seed + run}) for noise level {@code sigma}. */
    PatchTrainer.Settings schedule(SharedOptions shared, double sigma, int run) {
        boolean quick = shared.quick();
        return new PatchTrainer.Settings(trainingSteps(quick), batch, patchSide(quick), Math.max(batch, quick ? 512 : 4096),
                lr, sigma, shared.seed() + run);
    }

    /** snake_case entries for results.json. */
    Map<String, Object> toMap(SharedOptions shared) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", trainingSteps(shared.quick()));
        m.put("batch", batch);
        m.put("patch", patchSide(shared.quick()));
        m.put("lr", lr);
        m.put("channels", channels);
        m.put("hidden", hidden);
        m.put("layers", layers);
        m.put("kernel", kernel);
        m.put("activation", architecture().activationName());
        m.put("state_scale", stateScale);
        m.put("seed", shared.seed());
        m.put("runs", shared.runs());
        m.put("dtype", SharedOptions.dtypeName(shared.dtype()));
        m.put("quick", shared.quick());
        return m;
    }
}
