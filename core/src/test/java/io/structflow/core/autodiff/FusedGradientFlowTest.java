package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.check.GradCheck;
import io.structflow.core.nn.Activation;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

class FusedGradientFlowTest {
    private static final DataType D = DataType.DOUBLE;

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(-1, Activation.leakyRelu(0.5)),
                Arguments.of(1, Activation.leakyRelu(0.5)),
                Arguments.of(-1, Activation.relu()),
                Arguments.of(1, Activation.tanh()));
    }

    private static Tensor[] denseInputs(DataType t, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new Tensor[] {Tensor.randn(t, r, 5, 4), Tensor.randn(t, r, 3, 4), Tensor.randn(t, r, 3),
            Tensor.uniform(t, r, 0.2, 0.8)};
    }

    private static Tensor[] convInputs(DataType t, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new Tensor[] {Tensor.randn(t, r, 2, 2, 5, 5), Tensor.randn(t, r, 3, 2, 3, 3).mul(0.5), Tensor.randn(t, r, 3),
            Tensor.uniform(t, r, 0.2, 0.8)};
    }

    @ParameterizedTest
    @MethodSource("variants")
    void dense_forwardAndGradients_matchComposedOps(int sign, Activation sigma) {
        Tensor[] in = denseInputs(D, 1);
        Tensor fused = FusedGradientFlow.dense(in[0], in[1], in[2], in[3], sign, sigma);
        Tensor composed = FusedGradientFlow.composedDense(in[0], in[1], in[2], in[3], sign, sigma);
        assertArrayEquals(composed.toDoubleArray(), fused.toDoubleArray(), 1e-12);
        GradCheck.Result r = GradCheck.check(x -> FusedGradientFlow.dense(x[0], x[1], x[2], x[3], sign, sigma).square().sum(), in);
        assertTrue(r.passed(), r.worst());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void conv_forwardAndGradients_matchComposedOps(int sign, Activation sigma) {
        Tensor[] in = convInputs(D, 2);
        Tensor fused = FusedGradientFlow.conv(in[0], in[1], in[2], in[3], sign, sigma);
        Tensor composed = FusedGradientFlow.composedConv(in[0], in[1], in[2], in[3], sign, sigma);
        assertArrayEquals(composed.toDoubleArray(), fused.toDoubleArray(), 1e-12);
        GradCheck.Result r = GradCheck.check(x -> FusedGradientFlow.conv(x[0], x[1], x[2], x[3], sign, sigma).square().sum(), in);
        assertTrue(r.passed(), r.worst());
    }

    @Test
    void secondOrder_denseAndConv_matchFiniteDifferences() {
        Activation tanh = Activation.tanh();
        GradCheck.Result d = GradCheck.checkSecondOrder(
                x -> FusedGradientFlow.dense(x[0], x[1], x[2], x[3], -1, tanh).square().sum(), 3, denseInputs(D, 3));
        assertTrue(d.passed(), d.worst());
        GradCheck.Result c = GradCheck.checkSecondOrder(
                x -> FusedGradientFlow.conv(x[0], x[1], x[2], x[3], 1, tanh).square().sum(), 4, convInputs(D, 4));
        assertTrue(c.passed(), c.worst());
    }

    @Test
    void float32_fusedBackwardAgreesWithComposed() {
        Tensor[] in = denseInputs(DataType.FLOAT, 5);
        Tensor[] vars = new Tensor[4];
        Tensor[] vars2 = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            vars[i] = Tensor.variable(in[i].value().dup());
            vars2[i] = Tensor.variable(in[i].value().dup());
        }
        Activation s = Activation.leakyRelu(0.5);
        Tensor[] g1 = Autograd.grad(FusedGradientFlow.dense(vars[0], vars[1], vars[2], vars[3], -1, s).square().sum(), false, vars);
        Tensor[] g2 = Autograd.grad(FusedGradientFlow.composedDense(vars2[0], vars2[1], vars2[2], vars2[3], -1, s).square().sum(), false, vars2);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(g2[i].toDoubleArray(), g1[i].toDoubleArray(), 1e-4, "input " + i);
        }
    }

    /**
     * float32 gradients (oneDNN's conv2d_bp and deconv2d_bp, each asked for both of its gradients)
     * against the same function's float64 gradients (libnd4j's own kernels): the fused conv layer
     * and the conv2d / convTranspose2d ops, on shapes where oneDNN runs (8 channels).
     */
    @Test
    void float32_convBackward_agreesWithFloat64() {
        SplittableRandom r = new SplittableRandom(8);
        Tensor[] in = {Tensor.randn(D, r, 3, 8, 10, 10), Tensor.randn(D, r, 8, 8, 3, 3).mul(0.2), Tensor.randn(D, r, 8),
            Tensor.uniform(D, r, 0.2, 0.8)};
        Activation s = Activation.leakyRelu(0.5);
        ConvGeometry same = ConvGeometry.same(3);
        java.util.List<java.util.function.Function<Tensor[], Tensor>> functions = java.util.List.of(
                x -> FusedGradientFlow.conv(x[0], x[1], x[2], x[3], -1, s).square().sum(),
                x -> x[0].conv2d(x[1], same).tanh().convTranspose2d(x[1], same, 10, 10).mul(x[0]).sum());
        for (var f : functions) {
            Tensor[] g64 = gradients(f, in, D);
            Tensor[] g32 = gradients(f, in, DataType.FLOAT);
            for (int i = 0; i < g64.length; i++) {
                double[] want = g64[i].toDoubleArray();
                double[] got = g32[i].toDoubleArray();
                double scale = 0;
                for (double w : want) {
                    scale = Math.max(scale, Math.abs(w));
                }
                assertArrayEquals(want, got, 1e-4 * scale, "input " + i);
            }
        }
    }

    private static Tensor[] gradients(java.util.function.Function<Tensor[], Tensor> f, Tensor[] in, DataType t) {
        Tensor[] vars = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            vars[i] = Tensor.variable(in[i].value().castTo(t).dup());
        }
        return Autograd.grad(f.apply(vars), false, vars);
    }

    @Test
    void badInput_namesTheArgument() {
        Tensor[] in = denseInputs(D, 6);
        Activation s = Activation.relu();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FusedGradientFlow.dense(in[0].slice(1, 0, 3), in[1], in[2], in[3], -1, s));
        assertTrue(e.getMessage().contains("x expected shape [*, 4] but got [5, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FusedGradientFlow.dense(in[0], in[1], in[2], in[3], 2, s));
        ArithmeticException nan = assertThrows(ArithmeticException.class,
                () -> FusedGradientFlow.dense(in[0], in[1], in[2], Tensor.scalar(Double.NaN, D), -1, s));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    }
}
