package io.structflow.imaging.denoisers;

import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The unconstrained baseline denoiser DnCNN (Zhang, Zuo, Chen, Meng, Zhang, "Beyond a Gaussian
 * denoiser: residual learning of deep CNN for image denoising", IEEE TIP 26 (2017) 3142–3155,
 * doi:10.1109/TIP.2017.2662206): {@code depth} 3×3 "same" convolutions with ReLU between them,
 * the last one predicting the noise residual,
 * <pre>
 *   h₁ = ReLU(W₁ * x + b₁),   h_j = ReLU(W_j * h_{j−1} + b_j),   D(x) = x − (W_d * h_{d−1} + b_d)
 * </pre>
 * <b>without batch normalisation</b> (the original inserts it between the middle convolutions;
 * this small version trains without it). Weights Kaiming-normal, the last layer scaled by 0.1 so
 * that D starts near the identity; biases zero. No constraint: its Lipschitz constant is free,
 * which is what the repeated-application experiment of [M-slides] ("Denoising Performance")
 * exposes. Acts on any image size.
 */
public final class DnCnn extends Module {
    private final Parameter[] weights;
    private final Parameter[] biases;
    private final ConvGeometry geometry;

    /**
     * @param features channels F of the hidden layers
     * @param depth    number of convolutions d ≥ 2
     * @param kernel   kernel size (odd)
     * @param type     float32 or float64
     * @param seed     seed of the weights
     */
    public DnCnn(int features, int depth, int kernel, DataType type, long seed) {
        if (features < 1 || depth < 2 || kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("DnCnn: expected features ≥ 1, depth ≥ 2 and an odd kernel but got features="
                    + features + ", depth=" + depth + ", kernel=" + kernel);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        geometry = ConvGeometry.same(kernel);
        weights = new Parameter[depth];
        biases = new Parameter[depth];
        for (int j = 0; j < depth; j++) {
            int in = j == 0 ? 1 : features;
            int out = j == depth - 1 ? 1 : features;
            Tensor w = Init.kaimingNormal(type, rng, out, in, kernel, kernel);
            weights[j] = register("W" + j, Parameter.of("W" + j, j == depth - 1 ? w.mul(0.1) : w));
            biases[j] = register("b" + j, Parameter.of("b" + j, Tensor.zeros(type, out)));
        }
    }

    /**
     * @param x noisy images {@code [batch, 1, H, W]}; not mutated
     * @return {@code x − R(x)}, same shape
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.rank() != 4 || x.size(1) != 1) {
            throw new IllegalArgumentException("DnCnn.forward: x expected shape [batch, 1, H, W] but got "
                    + (x == null ? "null" : java.util.Arrays.toString(x.shape())));
        }
        Tensor h = x;
        for (int j = 0; j < weights.length; j++) {
            h = j < weights.length - 1 ? h.conv2dLeakyRelu(weights[j], biases[j], 0.0, geometry)
                    : h.conv2d(weights[j], biases[j], geometry);
        }
        return x.sub(h);
    }
}
