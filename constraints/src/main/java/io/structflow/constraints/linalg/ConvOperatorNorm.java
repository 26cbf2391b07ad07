package io.structflow.constraints.linalg;

import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.internal.SplitMix64;
import io.structflow.constraints.internal.StoredValues;
import io.structflow.constraints.internal.WarmStart;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Convolution;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Replay;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The operator norm of a convolution {@code 𝒦x = conv2d(x, K)} (with its stride and zero
 * padding) on images of a fixed size {@code C×H×W}: power iteration with the convolution and its
 * adjoint {@code convTranspose2d},
 * <pre>
 *   v ← 𝒦ᵀ𝒦 v = convTranspose2d(conv2d(v, K), K)   (Krylov space of these iterates),   σ̂ = √θ_max
 * </pre>
 * accelerated by restarted Lanczos ({@link Lanczos}; the top singular values of convolutions
 * cluster, where plain power iteration gains ~1e-5 relative per 500 iterations) and warm-started
 * from the last right singular vector. This is the exact norm of the padded operator on
 * {@code H×W} images (not the norm of the flattened kernel, nor the circular-convolution value of
 * Sedghi et al.); it depends on H and W. σ̂ is a lower bound converging to it. Used for the
 * convolutional 1-Lipschitz layers of [CMOSS] §3.3, where the kernel's operator norm plays the
 * role of ‖A‖ in (3.5). Cost per product: one conv2d and one convTranspose2d of a single image
 * in the kernel's own type (float32 takes oneDNN's fast path; the Lanczos vectors are float64),
 * recorded once per kernel array and replayed ({@link Replay}) on fixed buffers, so a product
 * costs two prepared native calls and the copies in and out.
 *
 * <p>Not thread-safe: the warm-start image is state.
 */
public final class ConvOperatorNorm implements OperatorNorm {
    private final ConvGeometry geometry;
    private final long height;
    private final long width;
    private final NormEstimateSettings settings;
    private final SplitMix64 rng;
    private final Lanczos lanczos;
    private double[] v;
    private int products;
    private INDArray recordedKernel;
    private INDArray productInput;
    private Replay.Recorded<Tensor> product;
    private float[] floats;

    /** With {@link NormEstimateSettings#convolution()}. */
    public ConvOperatorNorm(ConvGeometry geometry, long height, long width) {
        this(geometry, height, width, NormEstimateSettings.convolution());
    }

    /**
     * @param geometry stride and padding of the convolution
     * @param height   image height H the convolution acts on, ≥ 1
     * @param width    image width W, ≥ 1
     * @param settings stopping rule
     */
    public ConvOperatorNorm(ConvGeometry geometry, long height, long width, NormEstimateSettings settings) {
        if (height < 1 || width < 1) {
            throw Messages.badArgument("ConvOperatorNorm", "image size", "height, width ≥ 1", height + "×" + width);
        }
        this.geometry = geometry;
        this.height = height;
        this.width = width;
        this.settings = settings;
        this.rng = new SplitMix64(settings.seed());
        this.lanczos = new Lanczos(settings);
    }

    @Override
    public double estimate(INDArray kernel) {
        if (kernel.rank() != 4) {
            throw Messages.badArgument("ConvOperatorNorm.estimate", "kernel", "[outChannels, inChannels, kH, kW]",
                    java.util.Arrays.toString(kernel.shape()));
        }
        products = 0;
        if (kernel.amaxNumber().doubleValue() == 0) {
            return 0;
        }
        long channels = kernel.size(1);
        int n = (int) (channels * height * width);
        if (v == null || v.length != n) {
            v = DenseSpectralNorm.randomVector(rng, n);
        }
        Lanczos.Result r = lanczos.largest((x, y) -> gramProduct(kernel, x, y), v);
        products = r.products();
        return Math.sqrt(r.value());
    }

    /**
     * Block Lanczos on {@code 𝒦ᵀ𝒦} ({@link OperatorNorm#topSingularValues}), one conv2d and one
     * convTranspose2d per product; k ≤ C·H·W with C the kernel's input channels.
     */
    @Override
    public double[] topSingularValues(INDArray kernel, int k) {
        if (kernel.rank() != 4) {
            throw Messages.badArgument("ConvOperatorNorm.topSingularValues", "kernel",
                    "[outChannels, inChannels, kH, kW]", java.util.Arrays.toString(kernel.shape()));
        }
        int n = (int) (kernel.size(1) * height * width);
        return Lanczos.topSingularValues("ConvOperatorNorm.topSingularValues", (x, y) -> gramProduct(kernel, x, y), n, k,
                settings);
    }

    /** {@code convTranspose2d(conv2d(x, K), K)}: 𝒦ᵀ𝒦 applied to images x. */
    private Tensor gram(Tensor x, INDArray kernel) {
        Tensor k = Tensor.constant(kernel);
        return x.conv2d(k, geometry).convTranspose2d(k, geometry, height, width);
    }

    /** {@code out ← 𝒦ᵀ𝒦 x} for one image x ({@code C·H·W} values), replaying the recorded conv pair. */
    private void gramProduct(INDArray kernel, double[] x, double[] out) {
        if (Replay.isRecording()) {
            // inside someone else's recording: compute eagerly (a recording cannot nest)
            try (GradMode.Scope s = GradMode.noGrad()) {
                double[] y = gram(Tensor.of(kernel.dataType(), x, 1, kernel.size(1), height, width), kernel)
                        .toDoubleArray();
                System.arraycopy(y, 0, out, 0, out.length);
                return;
            }
        }
        if (product == null || recordedKernel != kernel || !Arrays.equals(productInput.shape(),
                new long[] {1, kernel.size(1), height, width}) || productInput.dataType() != kernel.dataType()) {
            recordedKernel = kernel;
            productInput = Nd4j.zeros(kernel.dataType(), 1, kernel.size(1), height, width);
            try (GradMode.Scope s = GradMode.noGrad()) {
                product = Replay.record(() -> gram(Tensor.constant(productInput), kernel));
            }
        }
        INDArray y = product.result().value();
        if (productInput.dataType() == DataType.DOUBLE) {
            productInput.data().setData(x);
            product.replay().run();
            y.data().asNioDouble().get(out);
        } else {
            if (floats == null || floats.length != x.length) {
                floats = new float[x.length];
            }
            for (int i = 0; i < floats.length; i++) {
                floats[i] = (float) x[i];
            }
            productInput.data().setData(floats);
            product.replay().run();
            y.data().asNioFloat().get(floats);
            for (int i = 0; i < out.length; i++) {
                out[i] = floats[i];
            }
        }
    }

    /**
     * A certified bound from the circular convolution with K on a torus of size
     * {@code N_H × N_W}, {@code N ≥ H + 2p} and a multiple of the stride s, bounded by
     * {@link GramIteration} over its Fourier blocks. It bounds the padded operator: the zero-padded
     * convolution is the circular one on that torus composed with the isometric zero-embedding of
     * the image and a restriction to some of its outputs (norm ≤ 1), since on such a torus no tap
     * wraps around. Split the torus image into its s_H·s_W polyphase components
     * {@code x_r[j] = x[s j + r]} (an isometry); then {@code y = Σ_r K_r ⋆ x_r} with
     * {@code K_r[q] = K[s q + r]} on the {@code (N_H/s_H) × (N_W/s_W)} torus, which the 2-D DFT
     * block-diagonalises into the {@code out × (in·s_H·s_W)} matrices
     * <pre>  [K̂_r(ω)]_r,   K̂_r(ω) = Σ_q K[:, :, s q + r] e^{2πi(ω₁q₁/M_H + ω₂q₂/M_W)}</pre>
     * (Sedghi, Gupta &amp; Long, ICLR 2019, for stride 1). Conjugate frequencies have equal singular
     * values, so half of them are visited.
     */
    @Override
    public double upperBound(INDArray kernel, double target) {
        return GramIteration.largestSingularValue(fourierBlocks(kernel), 1e-6, target);
    }

    private List<GramIteration.Matrix> fourierBlocks(INDArray kernel) {
        if (kernel.rank() != 4) {
            throw Messages.badArgument("ConvOperatorNorm.upperBound", "kernel", "[outChannels, inChannels, kH, kW]",
                    java.util.Arrays.toString(kernel.shape()));
        }
        int sh = geometry.strideH();
        int sw = geometry.strideW();
        int mh = (int) ((Math.max(height + 2L * geometry.padH(), kernel.size(2)) + sh - 1) / sh);
        int mw = (int) ((Math.max(width + 2L * geometry.padW(), kernel.size(3)) + sw - 1) / sw);
        return FourierBlocks.of(StoredValues.read(kernel), kernel.shape(), mh, mw, sh, sw, false);
    }

    @Override
    public void validate(String where, Parameter kernel) {
        if (kernel.rank() != 4) {
            throw Messages.badShape(where, kernel, "a convolution kernel [outChannels, inChannels, kH, kW]");
        }
        long oh = geometry.outSize(height, kernel.size(2), true);
        long ow = geometry.outSize(width, kernel.size(3), false);
        if (oh < 1 || ow < 1) {
            throw Messages.badShape(where, kernel, "a kernel that fits " + height + "×" + width
                    + " images with padding (" + geometry.padH() + ", " + geometry.padW() + ")");
        }
    }

    @Override
    public String describe() {
        return "‖conv2d(·, K)‖₂ on C×" + height + "×" + width + " (stride " + geometry.strideH() + "×"
                + geometry.strideW() + ", padding " + geometry.padH() + "×" + geometry.padW() + ")";
    }

    @Override
    public int lastProducts() {
        return products;
    }

    @Override
    public INDArray singularValueGradient(INDArray kernel) {
        if (v == null || kernel.rank() != 4 || v.length != kernel.size(1) * height * width) {
            throw new IllegalStateException("ConvOperatorNorm.singularValueGradient: expected an estimate of this "
                    + "kernel first but got " + (v == null ? "none" : "one for another shape"));
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor k = Tensor.constant(kernel);
            Tensor right = Tensor.of(kernel.dataType(), v, 1, kernel.size(1), height, width);
            right = right.div(Math.sqrt(right.pow(2).sum().item()));
            Tensor image = right.conv2d(k, geometry);
            Tensor left = image.div(Math.sqrt(image.pow(2).sum().item()));
            return Convolution.weightGrad(right, left, k, geometry).value();
        }
    }

    @Override
    public void refreshWarmStart() {
        if (v != null) {
            DenseSpectralNorm.mixRandom(rng, v);
        }
    }

    @Override
    public Map<String, INDArray> state() {
        return new WarmStart(v, rng.position()).toState();
    }

    @Override
    public void loadState(Map<String, INDArray> saved) {
        WarmStart w = WarmStart.fromState("ConvOperatorNorm", saved);
        v = w.vector();
        rng.setPosition(w.position());
    }
}
