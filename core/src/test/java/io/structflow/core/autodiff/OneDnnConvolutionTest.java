package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.nn.Activation;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The direct oneDNN products (float32) against libnd4j's float64 kernels on random inputs, and
 * against libnd4j's own oneDNN build in float32 in the same process (two copies of oneDNN).
 */
class OneDnnConvolutionTest {
    private static final DataType F = DataType.FLOAT;
    private static final DataType D = DataType.DOUBLE;

    /** kernel size, padding, channels in and out, image height and width. */
    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of(3, 1, 8, 8, 12, 12),
                Arguments.of(3, 0, 3, 5, 9, 7),
                Arguments.of(3, 2, 4, 2, 6, 8),
                Arguments.of(5, 1, 2, 6, 10, 11),
                Arguments.of(1, 0, 5, 3, 4, 4),
                Arguments.of(3, 1, 32, 32, 8, 8));       // Winograd's channel count
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void eachProduct_float32_agreesWithFloat64(int k, int pad, int in, int out, int h, int w) {
        ConvGeometry g = new ConvGeometry(1, 1, pad, pad);
        long[] ws = {out, in, k, k};
        assertTrue(OneDnnConvolution.supports(F, g, ws));
        assertFalse(OneDnnConvolution.supports(D, g, ws));
        SplittableRandom r = new SplittableRandom(k * 100L + pad);
        Tensor x = Tensor.randn(D, r, 3, in, h, w);
        Tensor weight = Tensor.randn(D, r, ws);
        long oh = g.outSize(h, k, true);
        long ow = g.outSize(w, k, false);
        Tensor y = Tensor.randn(D, r, 3, out, oh, ow);
        assertClose(x.conv2d(weight, g), f32(x).conv2d(f32(weight), g));
        assertClose(y.convTranspose2d(weight, g, h, w), f32(y).convTranspose2d(f32(weight), g, h, w));
        assertClose(Convolution.weightGrad(x, y, weight, g), Convolution.weightGrad(f32(x), f32(y), f32(weight), g));
    }

    /**
     * {@code conv(x, W) + b} and its gradients in float32 (bias inside oneDNN's forward; ∂W and ∂b
     * from one backward-weights call when both are wanted, ∂b alone from the channel sum) against
     * float64 (libnd4j and the channel sum), and ∂b against its definition {@code Σ_{b,i,j} y}.
     */
    @ParameterizedTest
    @MethodSource("geometries")
    void biasedConvolution_andItsGradients_float32AgreeWithFloat64(int k, int pad, int in, int out, int h, int w) {
        ConvGeometry g = new ConvGeometry(1, 1, pad, pad);
        SplittableRandom r = new SplittableRandom(k * 100L + pad + 1);
        Tensor x = Tensor.randn(D, r, 3, in, h, w);
        Tensor weight = Tensor.randn(D, r, out, in, k, k);
        Tensor bias = Tensor.randn(D, r, out);
        Tensor y = Tensor.randn(D, r, 3, out, g.outSize(h, k, true), g.outSize(w, k, false));
        assertClose(x.conv2d(weight, g).add(bias.reshape(1, out, 1, 1)), f32(x).conv2d(f32(weight), f32(bias), g));
        for (boolean weightWanted : new boolean[] {true, false}) {
            Tensor[] g64 = biasedGradients(x, weight, bias, y, g, D, weightWanted);
            Tensor[] g32 = biasedGradients(x, weight, bias, y, g, F, weightWanted);
            for (int i = 0; i < g64.length; i++) {
                assertClose(g64[i], g32[i]);
            }
            double[] channelSums = new double[out];
            double[] yv = y.value().data().asDouble();
            long pixels = y.size(2) * y.size(3);
            for (int i = 0; i < yv.length; i++) {
                channelSums[(int) (i / pixels % out)] += yv[i];
            }
            assertClose(Tensor.constant(Nd4j.createFromArray(channelSums)), g32[g32.length - 1]);
        }
    }

    /**
     * {@code σ(conv(x, W) + b)} with the leaky ReLU inside oneDNN's convolution (float32) against
     * the composition {@code leakyRelu(conv2d(x, W) + b)} in float64, values and all gradients.
     */
    @ParameterizedTest
    @MethodSource("geometries")
    void convolutionWithLeakyRelu_float32AgreesWithTheComposition(int k, int pad, int in, int out, int h, int w) {
        ConvGeometry g = new ConvGeometry(1, 1, pad, pad);
        SplittableRandom r = new SplittableRandom(k * 100L + pad + 2);
        Tensor[] params = {Tensor.randn(D, r, 3, in, h, w), Tensor.randn(D, r, out, in, k, k), Tensor.randn(D, r, out)};
        Tensor y = Tensor.randn(D, r, 3, out, g.outSize(h, k, true), g.outSize(w, k, false));
        for (double slope : new double[] {0.0, 0.5}) {
            Tensor[] want = variables(params, D);
            Tensor composed = want[0].conv2d(want[1], g).add(want[2].reshape(1, out, 1, 1)).leakyRelu(slope);
            Tensor[] got = variables(params, F);
            Tensor fused = got[0].conv2dLeakyRelu(got[1], got[2], slope, g);
            assertClose(composed, fused);
            Tensor[] wantGrads = Autograd.grad(composed.mul(y).sum(), false, want);
            Tensor[] gotGrads = Autograd.grad(fused.mul(f32(y)).sum(), false, got);
            for (int i = 0; i < wantGrads.length; i++) {
                assertClose(wantGrads[i], gotGrads[i]);
            }
        }
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> params[0].conv2dLeakyRelu(params[1], params[2], -0.1, g));
        assertTrue(negative.getMessage().contains("slope expected a finite number ≥ 0 but got -0.1"), negative.getMessage());
    }

    private static Tensor[] variables(Tensor[] values, DataType t) {
        Tensor[] out = new Tensor[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Tensor.variable(values[i].value().castTo(t).dup());
        }
        return out;
    }

    /** ∂⟨conv(x, W) + b, y⟩ with respect to x, (W,) b in element type t. */
    private static Tensor[] biasedGradients(Tensor x, Tensor weight, Tensor bias, Tensor y, ConvGeometry g, DataType t,
                                            boolean weightWanted) {
        Tensor xt = Tensor.variable(x.value().castTo(t).dup());
        Tensor wt = weightWanted ? Tensor.variable(weight.value().castTo(t).dup()) : Tensor.constant(weight.value().castTo(t));
        Tensor bt = Tensor.variable(bias.value().castTo(t).dup());
        Tensor loss = xt.conv2d(wt, bt, g).mul(Tensor.constant(y.value().castTo(t))).sum();
        return weightWanted ? Autograd.grad(loss, false, xt, wt, bt) : Autograd.grad(loss, false, xt, bt);
    }

    /** kernel size, padding, channels (in = out), batch, image height and width: shapes that pack on AVX-512. */
    static Stream<Arguments> packedShapes() {
        return Stream.of(
                Arguments.of(3, 1, 8, 4, 12, 12),      // two images per 16-channel block
                Arguments.of(5, 2, 8, 6, 9, 7),
                Arguments.of(3, 1, 4, 8, 7, 9),        // four
                Arguments.of(3, 0, 2, 16, 6, 6));      // eight
    }

    /**
     * Few channels and a batch that fills 16-channel blocks (read as a block-diagonal convolution of
     * image groups on AVX-512 machines, unpacked elsewhere): every product in float32 against float64.
     */
    @ParameterizedTest
    @MethodSource("packedShapes")
    void fewChannels_everyProduct_float32AgreesWithFloat64(int k, int pad, int c, int batch, int h, int w) {
        ConvGeometry g = new ConvGeometry(1, 1, pad, pad);
        SplittableRandom r = new SplittableRandom(c * 1000L + batch);
        Tensor x = Tensor.randn(D, r, batch, c, h, w);
        Tensor weight = Tensor.randn(D, r, c, c, k, k);
        Tensor bias = Tensor.randn(D, r, c);
        Tensor y = Tensor.randn(D, r, batch, c, g.outSize(h, k, true), g.outSize(w, k, false));
        assertClose(x.conv2d(weight, g).add(bias.reshape(1, c, 1, 1)), f32(x).conv2d(f32(weight), f32(bias), g));
        assertClose(x.conv2d(weight, g).add(bias.reshape(1, c, 1, 1)).leakyRelu(0.5),
                f32(x).conv2dLeakyRelu(f32(weight), f32(bias), 0.5, g));
        assertClose(y.convTranspose2d(weight, g, h, w), f32(y).convTranspose2d(f32(weight), g, h, w));
        INDArray scaled = Nd4j.create(F, x.shape());
        OneDnnConvolution.of(OneDnnConvolution.Kind.TRANSPOSED, g).runScaled(f32(y).value(), f32(weight).value(), -0.7, scaled);
        assertClose(y.convTranspose2d(weight, g, h, w).mul(-0.7), Tensor.constant(scaled));
        assertClose(Convolution.weightGrad(x, y, weight, g), Convolution.weightGrad(f32(x), f32(y), f32(weight), g));
        Tensor[] g64 = biasedGradients(x, weight, bias, y, g, D, true);
        Tensor[] g32 = biasedGradients(x, weight, bias, y, g, F, true);
        for (int i = 0; i < g64.length; i++) {
            assertClose(g64[i], g32[i]);
        }
    }

    @Test
    void viewsAndNonContiguousInputs_areReadAsTheirValues() {
        ConvGeometry g = ConvGeometry.same(3);
        SplittableRandom r = new SplittableRandom(3);
        Tensor weight = Tensor.randn(F, r, 4, 4, 3, 3);
        INDArray permuted = Nd4j.rand(F, 6, 4, 5, 3).permute(3, 1, 2, 0);      // [3, 4, 5, 6], not C order
        INDArray out = Nd4j.create(F, 3, 4, 5, 6);
        OneDnnConvolution.of(OneDnnConvolution.Kind.FORWARD, g).run(permuted, weight.value(), out);
        assertClose(Tensor.constant(permuted.castTo(D)).conv2d(Tensor.constant(weight.value().castTo(D)), g), Tensor.constant(out));
        INDArray batchSlice = Nd4j.rand(F, 7, 4, 5, 6).get(NDArrayIndex.interval(2, 5));   // a view at an offset
        OneDnnConvolution.of(OneDnnConvolution.Kind.FORWARD, g).run(batchSlice, weight.value(), out);
        assertClose(Tensor.constant(batchSlice.castTo(D)).conv2d(Tensor.constant(weight.value().castTo(D)), g), Tensor.constant(out));
    }

    @Test
    void badInput_namesTheArgument() {
        OneDnnConvolution k = OneDnnConvolution.of(OneDnnConvolution.Kind.FORWARD, ConvGeometry.same(3));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> k.run(Nd4j.rand(D, 1, 2, 5, 5), Nd4j.rand(D, 2, 2, 3, 3), Nd4j.create(D, 1, 2, 5, 5)));
        assertTrue(type.getMessage().contains("expected FLOAT but got DOUBLE"), type.getMessage());
        IllegalArgumentException layout = assertThrows(IllegalArgumentException.class,
                () -> k.run(Nd4j.rand(F, 1, 2, 5, 5), Nd4j.rand(F, 2, 2, 3, 3), Nd4j.create(F, 1, 5, 5, 2).permute(0, 3, 1, 2)));
        assertTrue(layout.getMessage().contains("out expected a contiguous C-order array"), layout.getMessage());
        IllegalArgumentException bias = assertThrows(IllegalArgumentException.class,
                () -> OneDnnConvolution.of(OneDnnConvolution.Kind.TRANSPOSED, ConvGeometry.same(3))
                        .run(Nd4j.rand(F, 1, 2, 5, 5), Nd4j.rand(F, 2, 2, 3, 3), Nd4j.rand(F, 2), Nd4j.create(F, 1, 2, 5, 5)));
        assertTrue(bias.getMessage().contains("bias expected only with FORWARD or WEIGHT_GRADIENT"), bias.getMessage());
    }

    /**
     * libnd4j's oneDNN build (its static copy of oneDNN 2.3) and the dnnl preset's library (2.5)
     * in one process, on the Fashion-MNIST stage-1 shape: the same sums to float32 rounding. Each
     * weight-gradient entry sums 3 136 positive products, grouped by image pair when the images are
     * packed into 16-channel blocks: 1e-5 relative, inside the recursive-summation bound n·u ≈ 2e-4.
     */
    @Test
    void sameProcessAsLibnd4jOneDnn_agrees() {
        ConvGeometry g = ConvGeometry.same(3);
        long[] ws = {8, 8, 3, 3};
        SplittableRandom r = new SplittableRandom(5);
        INDArray x = Tensor.uniform(F, r, 0, 1, 4, 8, 28, 28).value();
        INDArray y = Tensor.uniform(F, r, 0, 1, 4, 8, 28, 28).value();
        INDArray w = Tensor.uniform(F, r, -0.5, 0.5, ws).value();
        INDArray conv = Nd4j.create(F, x.shape());
        INDArray deconv = Nd4j.create(F, x.shape());
        INDArray gradImage = Nd4j.create(F, x.shape());
        INDArray gradWeight = Nd4j.create(F, ws);
        Convolution.run(Convolution.kernel("conv2d", g, ws), new INDArray[] {x, w}, new INDArray[] {conv});
        Convolution.run(Convolution.kernel("deconv2d", g, ws), new INDArray[] {y, w}, new INDArray[] {deconv});
        Convolution.run(Convolution.kernel("conv2d_bp", g, ws), new INDArray[] {x, w, y}, new INDArray[] {gradImage, gradWeight});
        INDArray[] direct = {Nd4j.create(F, x.shape()), Nd4j.create(F, x.shape()), Nd4j.create(F, ws)};
        OneDnnConvolution.of(OneDnnConvolution.Kind.FORWARD, g).run(x, w, direct[0]);
        OneDnnConvolution.of(OneDnnConvolution.Kind.TRANSPOSED, g).run(y, w, direct[1]);
        OneDnnConvolution.of(OneDnnConvolution.Kind.WEIGHT_GRADIENT, g).run(x, y, direct[2]);
        assertRelative(conv, direct[0], 1e-6);
        assertRelative(deconv, direct[1], 1e-6);
        assertRelative(gradImage, direct[1], 1e-6);      // conv2d_bp's ∂x is convT(y, W)
        assertRelative(gradWeight, direct[2], 1e-5);
    }

    /**
     * The fused layer's float32 forward and backward (all or only the parameters' gradients) against
     * float64, with a leaky ReLU (the convolution's post-op in float32) and with tanh (its own kernel).
     */
    @ParameterizedTest
    @MethodSource("fusedActivations")
    void fusedLayer_partialGradients_float32AgreesWithFloat64(Activation s) {
        SplittableRandom r = new SplittableRandom(11);
        for (int c : new int[] {8, 32}) {
            Tensor[] in = {Tensor.randn(D, r, 2, c, 9, 9), Tensor.randn(D, r, c, c, 3, 3).mul(0.05), Tensor.randn(D, r, c),
                Tensor.uniform(D, r, 0.2, 0.8)};
            assertClose(FusedGradientFlow.conv(in[0], in[1], in[2], in[3], -1, s),
                    FusedGradientFlow.conv(f32(in[0]), f32(in[1]), f32(in[2]), f32(in[3]), -1, s));
            // wanted: x, K, b, h (the x is an intermediate of a network); K, b, h (the first layer); b, h (K frozen)
            for (boolean[] wanted : new boolean[][] {{true, true, true, true}, {false, true, true, true}, {false, false, true, true}}) {
                Tensor[] g64 = gradients(in, D, wanted, s);
                Tensor[] g32 = gradients(in, F, wanted, s);
                for (int i = 0; i < g64.length; i++) {
                    assertClose(g64[i], g32[i]);
                }
            }
        }
    }

    static Stream<Activation> fusedActivations() {
        return Stream.of(Activation.leakyRelu(0.5), Activation.relu(), Activation.tanh());
    }

    private static Tensor[] gradients(Tensor[] in, DataType t, boolean[] wanted, Activation s) {
        Tensor[] args = new Tensor[4];
        java.util.List<Tensor> variables = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            INDArray value = in[i].value().castTo(t).dup();
            args[i] = wanted[i] ? Tensor.variable(value) : Tensor.constant(value);
            if (wanted[i]) {
                variables.add(args[i]);
            }
        }
        Tensor loss = FusedGradientFlow.conv(args[0], args[1], args[2], args[3], -1, s).square().sum();
        return Autograd.grad(loss, false, variables.toArray(new Tensor[0]));
    }

    private static Tensor f32(Tensor t) {
        return Tensor.constant(t.value().castTo(F));
    }

    private static void assertClose(Tensor want, Tensor got) {
        assertRelative(want.value().castTo(D), got.value().castTo(D), 1e-5);
    }

    /** ‖got − want‖ ≤ tol·‖want‖ and the same shape. */
    private static void assertRelative(INDArray want, INDArray got, double tol) {
        assertEquals(java.util.Arrays.toString(want.shape()), java.util.Arrays.toString(got.shape()));
        INDArray a = want.castTo(D);
        INDArray b = got.castTo(D);
        double error = a.sub(b).norm2Number().doubleValue();
        double scale = a.norm2Number().doubleValue();
        assertTrue(scale > 0 && error <= tol * scale, "relative error " + error / scale + " > " + tol);
    }
}
