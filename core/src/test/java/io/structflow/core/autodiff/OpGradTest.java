package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.check.GradCheck;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Finite-difference checks (float64) of every differentiable op, first and second order. */
class OpGradTest {
    private static final DataType D = DataType.DOUBLE;

    private static Tensor randn(long seed, long... shape) {
        return Tensor.randn(D, new SplittableRandom(seed), shape);
    }

    /** Values bounded away from 0, for log, sqrt, div, abs and the kinks of relu. */
    private static Tensor positive(long seed, long... shape) {
        return Tensor.uniform(D, new SplittableRandom(seed), 0.5, 2.0, shape);
    }

    private static Tensor awayFromZero(long seed, long... shape) {
        Tensor u = Tensor.uniform(D, new SplittableRandom(seed), 0.2, 1.5, shape);
        Tensor sign = Tensor.uniform(D, new SplittableRandom(seed + 7), -1, 1, shape).gtMask(0).mul(2).sub(1);
        return u.mul(sign);
    }

    private static Arguments op(String name, boolean smooth, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return Arguments.of(Named.of(name, f), smooth, inputs);
    }

    static Stream<Arguments> ops() {
        Tensor w = randn(3, 4, 5);
        return Stream.of(
            op("add broadcast", true, x -> x[0].add(x[1]).square().sum(), randn(1, 3, 4), randn(2, 4)),
            op("sub broadcast", true, x -> x[0].sub(x[1]).square().sum(), randn(1, 3, 1), randn(2, 1, 4)),
            op("mul broadcast", true, x -> x[0].mul(x[1]).sum(), randn(1, 2, 3, 4), randn(2, 3, 1)),
            op("div", true, x -> x[0].div(x[1]).sum(), randn(1, 3, 4), positive(2, 3, 4)),
            op("scalar ops", true, x -> x[0].mul(3).add(1).div(2).rsub(1).square().sum(), randn(1, 5)),
            op("pow", true, x -> x[0].pow(2.5).sum(), positive(1, 3, 3)),
            op("exp", true, x -> x[0].exp().sum(), randn(1, 3, 3)),
            op("log", true, x -> x[0].log().sum(), positive(1, 3, 3)),
            op("sqrt", true, x -> x[0].sqrt().sum(), positive(1, 3, 3)),
            op("abs", false, x -> x[0].abs().mul(x[0]).sum(), awayFromZero(1, 4, 3)),
            op("tanh", true, x -> x[0].tanh().sum(), randn(1, 3, 3)),
            op("sigmoid", true, x -> x[0].sigmoid().sum(), randn(1, 3, 3)),
            op("relu", false, x -> x[0].relu().square().sum(), awayFromZero(1, 4, 3)),
            op("leakyRelu 0.5", false, x -> x[0].leakyRelu(0.5).square().sum(), awayFromZero(1, 4, 3)),
            op("softplus", true, x -> x[0].softplus().sum(), randn(1, 3, 3)),
            op("sum axes", true, x -> x[0].sum(false, 0, 2).square().sum(), randn(1, 2, 3, 4)),
            op("mean keepDims", true, x -> x[0].mean(true, 1).mul(x[0]).sum(), randn(1, 3, 4)),
            op("max axis", false, x -> x[0].max(false, 1).square().sum(), randn(1, 3, 5)),
            op("logSumExp", true, x -> x[0].logSumExp(1, false).sum(), randn(1, 3, 5)),
            op("softmax", true, x -> x[0].softmax(1).mul(x[1]).sum(), randn(1, 3, 5), randn(2, 3, 5)),
            op("logSoftmax gather", true, x -> x[0].logSoftmax(1).gather(new int[] {0, 4, 2}).sum(), randn(1, 3, 5)),
            op("matmul", true, x -> x[0].matmul(x[1]).square().sum(), randn(1, 3, 4), randn(2, 4, 2)),
            op("matmul transposes", true, x -> x[0].matmul(x[1], true, true).square().sum(), randn(1, 4, 3), randn(2, 2, 4)),
            op("matmul batched", true, x -> x[0].matmul(x[1], false, true).square().sum(), randn(1, 2, 3, 4), randn(2, 2, 5, 4)),
            op("matmul with constant", true, x -> x[0].matmul(w).square().sum(), randn(1, 3, 4)),
            op("permute", true, x -> x[0].permute(2, 0, 1).mul(x[1]).sum(), randn(1, 2, 3, 4), randn(2, 4, 2, 3)),
            op("transpose reshape", true, x -> x[0].transpose().reshape(2, -1).square().sum(), randn(1, 3, 4)),
            op("slice", true, x -> x[0].slice(1, 1, 3).square().sum(), randn(1, 3, 4)),
            op("pad", true, x -> x[0].pad(new long[] {1, 0}, new long[] {0, 2}).mul(x[1]).sum(), randn(1, 2, 3), randn(2, 3, 5)),
            op("concat", true, x -> Tensor.concat(1, x[0], x[1]).square().mul(x[2]).sum(), randn(1, 2, 3), randn(2, 2, 2), randn(3, 2, 5)),
            op("stack", true, x -> Tensor.stack(0, x[0], x[1]).square().sum(), randn(1, 2, 3), randn(2, 2, 3)),
            op("broadcastTo", true, x -> x[0].broadcastTo(2, 3, 4).square().sum(), randn(1, 3, 1)),
            op("expm", true, x -> x[0].expm().mul(x[1]).sum(), randn(1, 4, 4), randn(2, 4, 4)),
            op("expm skew", true, x -> x[0].sub(x[0].transpose()).expm().square().mul(x[1]).sum(), randn(1, 3, 3), randn(2, 3, 3)),
            op("expm large norm", true, x -> x[0].mul(3).expm().mul(x[1]).sum(), randn(1, 3, 3), randn(2, 3, 3)),
            op("conv2d", true, x -> x[0].conv2d(x[1], ConvGeometry.same(3)).square().sum(), randn(1, 2, 2, 5, 5), randn(2, 3, 2, 3, 3)),
            op("conv2d stride 2", true, x -> x[0].conv2d(x[1], new ConvGeometry(2, 2, 1, 1)).square().sum(), randn(1, 1, 2, 5, 6), randn(2, 3, 2, 3, 3)),
            op("conv2d with bias", true, x -> x[0].conv2d(x[1], x[2], ConvGeometry.same(3)).square().sum(),
                randn(1, 2, 2, 5, 5), randn(2, 3, 2, 3, 3), randn(3, 3)),
            op("conv2d with bias stride 2", true, x -> x[0].conv2d(x[1], x[2], new ConvGeometry(2, 2, 1, 1)).square().sum(),
                randn(1, 1, 2, 5, 6), randn(2, 3, 2, 3, 3), randn(3, 3)),
            op("conv2dLeakyRelu 0.3", false, x -> x[0].conv2dLeakyRelu(x[1], x[2], 0.3, ConvGeometry.same(3)).square().sum(),
                randn(1, 2, 2, 5, 5), randn(2, 3, 2, 3, 3), randn(3, 3)),
            op("conv2dLeakyRelu 0 no bias", false, x -> x[0].conv2dLeakyRelu(x[1], null, 0.0, ConvGeometry.same(3)).mul(x[0]).sum(),
                randn(1, 2, 2, 5, 5), randn(2, 2, 2, 3, 3)),
            op("convTranspose2d", true, x -> x[0].convTranspose2d(x[1], ConvGeometry.same(3), 4, 4).square().sum(), randn(1, 2, 3, 4, 4), randn(2, 3, 2, 3, 3)),
            op("conv then convT shared weight", true,
                x -> x[0].conv2d(x[1], ConvGeometry.same(3)).tanh().convTranspose2d(x[1], ConvGeometry.same(3), 4, 4).mul(x[0]).sum(),
                randn(1, 2, 2, 4, 4), randn(2, 2, 2, 3, 3)),
            op("avgPool2d", true, x -> x[0].avgPool2d(2).square().sum(), randn(1, 2, 2, 4, 4)),
            op("avgPool2d window 3", true, x -> x[0].avgPool2d(3).square().mul(x[1]).sum(), randn(1, 2, 3, 6, 3), randn(2, 2, 3, 2, 1)),
            op("upsample2d", true, x -> x[0].upsample2d(2).square().mul(x[1]).sum(), randn(1, 2, 2, 3, 2), randn(2, 2, 2, 6, 4)),
            op("maxPool2d", false, x -> x[0].maxPool2d(2).square().sum(), randn(1, 2, 2, 4, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void gradient_matchesFiniteDifferences(Function<Tensor[], Tensor> f, boolean smooth, Tensor[] inputs) {
        GradCheck.Result r = GradCheck.check(f, inputs);
        assertTrue(r.passed(), "first order: " + r.worst());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void secondDerivative_matchesFiniteDifferences(Function<Tensor[], Tensor> f, boolean smooth, Tensor[] inputs) {
        GradCheck.Result r = GradCheck.checkSecondOrder(f, 42, inputs);
        assertTrue(r.passed(), "second order: " + r.worst());
    }
}
