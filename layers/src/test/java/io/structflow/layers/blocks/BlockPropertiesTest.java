package io.structflow.layers.blocks;

import static io.structflow.layers.blocks.BlockChecks.D;
import static io.structflow.layers.blocks.BlockChecks.randn;
import static io.structflow.layers.blocks.BlockChecks.randomise;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.layers.LipschitzBounded;
import io.structflow.layers.Property;
import io.structflow.layers.Structured;
import io.structflow.layers.verify.Check;
import io.structflow.layers.verify.PropertyChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every property a block claims, and its Lipschitz bound, checked with the shared verify package. */
class BlockPropertiesTest {

    private static Arguments block(String name, Module m, Tensor x) {
        return Arguments.of(Named.of(name, m), x);
    }

    static Stream<Arguments> blocks() {
        DynamicalBlock prescribed = DynamicalBlock.prescribed(4, 2, 0.5, 2, 1, D);
        randomise(prescribed, "b", 0.5, 2);
        SympNet sympNet = SympNet.gradient(2, 4, 8, Activation.tanh(), 3, D);
        randomise(sympNet, "b", 0.5, 4);
        return Stream.of(
            block("prescribed dense block", prescribed, randn(10, 6, 4)),
            block("flexible dense block", DynamicalBlock.flexible(3, 2, 0.5, 1, 5, D), randn(11, 6, 3)),
            block("prescribed conv block", DynamicalBlock.prescribedConv(2, 1, 0.5, 2, 4, 4, 6, D), randn(12, 2, 2, 4, 4)),
            block("zero-padding lift", new ZeroPaddingLift(3, 5), randn(13, 6, 3)),
            block("mass projection", new MassPreservingProjection(5, 2), randn(14, 6, 5)),
            block("normalised linear |α| ≤ 1", NormalisedLinear.dense(4, 3, NormalisedLinear.Scale.AT_MOST_ONE, 7, D),
                    randn(15, 6, 4)),
            block("G-SympNet", sympNet, randn(16, 4, 4)),
            block("LA-SympNet", SympNet.linearActivation(2, 2, 2, Activation.tanh(), 8, D), randn(17, 4, 4)),
            block("additive coupling", AdditiveCoupling.perceptron(4, 6, Activation.tanh(), 9, D), randn(18, 4, 4)),
            block("naive ResNet block", ResNetBlock.naiveDense(4, 5, 10, D), randn(19, 6, 4)),
            block("plain ResNet block", ResNetBlock.dense(4, 5, 11, D), randn(20, 6, 4)),
            block("average pool", new AveragePoolDownsample(2), randn(21, 2, 1, 4, 4)));
    }

    @ParameterizedTest
    @MethodSource("blocks")
    void claimedPropertiesAndBound_holdNumerically(Module block, Tensor x) {
        if (block instanceof Structured s) {
            for (Property p : s.properties()) {
                if (p == Property.MASS_PRESERVING) {
                    // the shared conservedSum pairs input and output entries one to one, so it needs
                    // equal widths; lifts and projections change the width: compare the sums here
                    assertArrayEquals(BlockChecks.rowSums(x), BlockChecks.rowSums(block.forward(x)), 1e-12);
                    continue;
                }
                Check c = PropertyChecks.check(block, p, x, 31);
                assertTrue(c.passed(), p + ": " + c.description());
            }
        }
        if (block instanceof LipschitzBounded) {
            Check c = PropertyChecks.lipschitzBound(block, x, 32);
            assertTrue(c.passed(), "bound: " + c.description());
        }
    }
}
