package io.structflow.layers.fields;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The contractive convolutional gradient field {@code f(x) = −Kᵀσ(Kx + b)} ([M-slides], conv form
 * of [CMOSS] (3.3)); its explicit Euler step is 1-Lipschitz for {@code 0 ≤ τ ≤ 2/‖K‖²}
 * ((3.5)), so {@link io.structflow.layers.Property#LIPSCHITZ_1} holds under the same step conditions as for
 * {@link ContractiveGradientField}, with {@code c} from {@link #constrainNorm(double)}. See
 * {@link ConvGradientField}.
 */
public final class ConvContractiveGradientField extends ConvGradientField {
    /**
     * @param channels input channels C
     * @param hidden   output channels m of K
     * @param k        kernel size (odd)
     * @param height   image height H
     * @param width    image width W
     * @param sigma    activation
     * @param type     FLOAT or DOUBLE
     * @param rng      seeded generator
     */
    public ConvContractiveGradientField(int channels, int hidden, int k, int height, int width, Activation sigma,
                                        DataType type, SplittableRandom rng) {
        this(channels, hidden, k, 1, height, width, sigma, type, rng);
    }

    /**
     * @param channels input channels C
     * @param hidden   output channels m of K
     * @param k        kernel size (odd)
     * @param dilation spacing d ≥ 1 of the kernel taps (padding d(k−1)/2 keeps the image size)
     * @param height   image height H
     * @param width    image width W
     * @param sigma    activation
     * @param type     FLOAT or DOUBLE
     * @param rng      seeded generator
     */
    public ConvContractiveGradientField(int channels, int hidden, int k, int dilation, int height, int width,
                                        Activation sigma, DataType type, SplittableRandom rng) {
        super("ConvContractiveGradientField", channels, hidden, k, dilation, height, width, sigma, type, rng);
    }

    private ConvContractiveGradientField(Tensor kernel, Tensor bias, int dilation, int height, int width, Activation sigma) {
        super("ConvContractiveGradientField", kernel, bias, dilation, height, width, sigma);
    }

    /**
     * From given weights (copied): K {@code [m, C, k, k]} (k odd), b {@code [m]}, taps
     * {@code dilation} pixels apart, acting on {@code height × width} images; a wrong shape is named.
     */
    public static ConvContractiveGradientField fromWeights(Activation sigma, Tensor kernel, Tensor bias, int dilation, int height,
                                  int width) {
        return new ConvContractiveGradientField(kernel, bias, dilation, height, width, sigma);
    }

    @Override
    public int sign() {
        return -1;
    }
}
