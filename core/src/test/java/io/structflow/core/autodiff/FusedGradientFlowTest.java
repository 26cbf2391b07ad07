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
