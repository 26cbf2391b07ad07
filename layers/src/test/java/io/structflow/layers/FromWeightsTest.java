package io.structflow.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.layers.blocks.ActivationModule;
import io.structflow.layers.blocks.AdditiveCoupling;
import io.structflow.layers.blocks.GradientModule;
import io.structflow.layers.blocks.LinearModule;
import io.structflow.layers.blocks.NormalisedLinear;
import io.structflow.layers.blocks.ResNetBlock;
import io.structflow.layers.blocks.SympNetModule.Half;
import io.structflow.layers.fields.ContractiveGradientField;
import io.structflow.layers.fields.ConvContractiveGradientField;
import io.structflow.layers.fields.DivergenceFreeField;
import io.structflow.layers.fields.ExpansiveGradientField;
import io.structflow.layers.fields.GeneralGradientField;
import io.structflow.layers.fields.MassPreservingField;
import io.structflow.layers.fields.MlpField;
import io.structflow.layers.fields.NetworkHamiltonianField;
import io.structflow.layers.fields.ProjectedSphereField;
import io.structflow.layers.fields.SeparableHamiltonianField;
import io.structflow.layers.fields.TriangularSkewField;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Every field and block built from given weights equals the same module whose weights were copied
 * into {@code namedParameters()} by hand, and a wrong shape is named (float64).
 */
class FromWeightsTest {
    private static final DataType D = DataType.DOUBLE;
    private static final Activation TANH = Activation.tanh();

    /**
     * @param random    a module of the family, randomly initialised: its parameters give the shapes and,
     *                  in order, the factory's tensor arguments
     * @param factory   the factory applied to tensors in that order
     * @param where     the factory's name in messages
     * @param arguments the factory's names of those arguments
     * @param input     shape of an input batch
     */
    record Case(Module random, Function<List<Tensor>, Module> factory, String where, List<String> arguments,
                long... input) {
    }

    private static Arguments of(String name, Case c) {
        return Arguments.of(Named.of(name, c));
    }

    private static SplittableRandom rng(long seed) {
        return new SplittableRandom(seed);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                of("ContractiveGradientField", new Case(ContractiveGradientField.of(3, 4, TANH, D, 11),
                        w -> ContractiveGradientField.fromWeights(TANH, w.get(0), w.get(1)),
                        "ContractiveGradientField.fromWeights", List.of("A", "b"), 2, 3)),
                of("ExpansiveGradientField, orthogonal", new Case(ExpansiveGradientField.orthogonal(3, 4, TANH, D, 12),
                        w -> ExpansiveGradientField.orthogonalFromWeights(TANH, w.get(0), w.get(1)),
                        "ExpansiveGradientField.fromWeights", List.of("W", "b"), 2, 3)),
                of("ConvContractiveGradientField, dilation 2", new Case(
                        new ConvContractiveGradientField(2, 3, 3, 2, 4, 6, TANH, D, rng(13)),
                        w -> ConvContractiveGradientField.fromWeights(TANH, w.get(0), w.get(1), 2, 4, 6),
                        "ConvContractiveGradientField.fromWeights", List.of("kernel", "bias"), 2, 2, 4, 6)),
                of("GeneralGradientField", new Case(new GeneralGradientField(3, 4, TANH, D, rng(14)),
                        w -> GeneralGradientField.fromWeights(TANH, w.get(0), w.get(1), w.get(2)),
                        "GeneralGradientField.fromWeights", List.of("A", "alpha", "b"), 2, 3)),
                of("MlpField", new Case(new MlpField(3, 4, TANH, D, rng(1)),
                        w -> MlpField.fromWeights(TANH, w.get(0), w.get(1), w.get(2), w.get(3)), "MlpField.fromWeights",
                        List.of("innerWeight", "innerBias", "outerWeight", "outerBias"), 2, 3)),
                of("MassPreservingField", new Case(new MassPreservingField(4, 3, TANH, D, rng(2)),
                        w -> MassPreservingField.fromWeights(TANH, w.get(0), w.get(1), w.get(2), w.get(3)),
                        "MassPreservingField.fromWeights",
                        List.of("innerWeight", "innerBias", "outerWeight", "outerBias"), 2, 4)),
                of("NetworkHamiltonianField, default", new Case(new NetworkHamiltonianField(4, 3, D, rng(3)),
                        w -> NetworkHamiltonianField.fromWeights(TANH, List.of(w.get(0), w.get(2)),
                                List.of(w.get(1), w.get(3)), w.get(4), w.get(5)),
                        "NetworkHamiltonianField.fromWeights", List.of("hiddenWeights[0]", "hiddenBiases[0]",
                        "hiddenWeights[1]", "hiddenBiases[1]", "outputWeight", "outputBias"), 2, 4)),
                of("NetworkHamiltonianField, one relu layer, no output bias", new Case(
                        new NetworkHamiltonianField(2, new int[] {5}, Activation.relu(), false, D, rng(4)),
                        w -> NetworkHamiltonianField.fromWeights(Activation.relu(), List.of(w.get(0)),
                                List.of(w.get(1)), w.get(2), null),
                        "NetworkHamiltonianField.fromWeights", List.of("hiddenWeights[0]", "hiddenBiases[0]",
                        "outputWeight"), 2, 2)),
                of("SeparableHamiltonianField", new Case(new SeparableHamiltonianField(4, 3, TANH, D, rng(5)),
                        w -> SeparableHamiltonianField.fromWeights(TANH, w.get(0), w.get(1), w.get(2), w.get(3),
                                w.get(4), w.get(5)),
                        "SeparableHamiltonianField.fromWeights", List.of("A", "a", "u", "B", "b", "v"), 2, 4)),
                of("DivergenceFreeField", new Case(new DivergenceFreeField(4, 3, TANH, D, rng(6)),
                        w -> DivergenceFreeField.fromWeights(TANH, w.get(0), w.get(1), w.get(2), w.get(3), w.get(4),
                                w.get(5), w.get(6), w.get(7)),
                        "DivergenceFreeField.fromWeights", List.of("u1Weight", "u1Bias", "u2Weight", "u2Bias",
                        "v1Weight", "v1Bias", "v2Weight", "v2Bias"), 2, 4)),
                of("ProjectedSphereField", new Case(new ProjectedSphereField(3, 4, TANH, D, rng(7)),
                        w -> ProjectedSphereField.fromWeights(TANH, w.get(0), w.get(1), w.get(2)),
                        "ProjectedSphereField.fromWeights", List.of("C", "d", "B"), 2, 3)),
                of("TriangularSkewField", new Case(new TriangularSkewField(3, 4, TANH, D, rng(8)),
                        w -> TriangularSkewField.fromWeights(TANH, w.get(0), w.get(1), w.get(2)),
                        "TriangularSkewField.fromWeights", List.of("C", "b", "B"), 2, 3)),
                of("GradientModule", new Case(new GradientModule(2, 3, Half.UP, TANH, 9, D),
                        w -> GradientModule.fromWeights(Half.UP, TANH, w.get(0), w.get(1), w.get(2)),
                        "GradientModule.fromWeights", List.of("K", "a", "b"), 2, 4)),
                of("LinearModule", new Case(new LinearModule(2, Half.LOW, 10, D),
                        w -> LinearModule.fromWeights(Half.LOW, w.get(0), w.get(1)),
                        "LinearModule.fromWeights", List.of("A", "c"), 2, 4)),
                of("ActivationModule", new Case(new ActivationModule(2, Half.UP, TANH, 11, D),
                        w -> ActivationModule.fromWeights(Half.UP, TANH, w.get(0)),
                        "ActivationModule.fromWeights", List.of("a"), 2, 4)),
                of("AdditiveCoupling", new Case(AdditiveCoupling.perceptron(5, 3, TANH, 12, D),
                        w -> AdditiveCoupling.fromWeights(TANH, w.get(0), w.get(1), w.get(2), w.get(3), w.get(4),
                                w.get(5), w.get(6), w.get(7)),
                        "AdditiveCoupling.fromWeights", List.of("fW1", "fb1", "fW2", "fb2", "gW1", "gb1", "gW2", "gb2"),
                        2, 5)),
                of("NormalisedLinear, dense, |α| ≤ 1, ‖W‖ ≤ 1", new Case(
                        NormalisedLinear.dense(4, 3, NormalisedLinear.Scale.AT_MOST_ONE, 13, D),
                        w -> NormalisedLinear.denseFromWeights(NormalisedLinear.Scale.AT_MOST_ONE, true, w.get(0),
                                w.get(1)),
                        "NormalisedLinear.denseFromWeights", List.of("weight", "alpha"), 2, 4)),
                of("NormalisedLinear, plain conv", new Case(NormalisedLinear.plainConv(2, 3, 3, 4, 4, false, 14, D),
                        w -> NormalisedLinear.convFromWeights(4, 4, NormalisedLinear.Scale.NONE, false, w.get(0), null),
                        "NormalisedLinear.convFromWeights", List.of("weight"), 2, 2, 4, 4)),
                of("ResNetBlock, naive dense", new Case(ResNetBlock.naiveDense(3, 4, 15, D),
                        w -> ResNetBlock.denseFromWeights(true, w.get(0), w.get(1), w.get(2)),
                        "ResNetBlock.denseFromWeights", List.of("A", "B", "b"), 2, 3)),
                of("ResNetBlock, conv", new Case(ResNetBlock.conv(2, 3, 3, 4, 4, 16, D),
                        w -> ResNetBlock.convFromWeights(false, 4, 4, w.get(0), w.get(1), w.get(2)),
                        "ResNetBlock.convFromWeights", List.of("A", "B", "b"), 2, 2, 4, 4)));
    }

    /** Tensors of the random module's parameter shapes, small enough to lie inside every norm bound. */
    private static List<Tensor> weights(Module random, long seed) {
        SplittableRandom r = rng(seed);
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : random.parameters()) {
            out.add(Tensor.randn(D, r, p.shape()).mul(0.1));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fromWeights_equalsTheModuleWithWeightsCopiedByHand(Case c) {
        List<Tensor> w = weights(c.random(), 100);
        Module built = c.factory().apply(w);
        assertEquals(List.copyOf(c.random().namedParameters().keySet()), List.copyOf(built.namedParameters().keySet()),
                "the same parameter names, so checkpoints load into either");
        List<Parameter> byHand = c.random().parameters();
        List<Parameter> given = built.parameters();
        for (int i = 0; i < w.size(); i++) {
            byHand.get(i).updateInPlace(w.get(i).value());
            assertNotSame(w.get(i).value(), given.get(i).value(), "copied, not aliased");
        }
        Tensor x = Tensor.randn(D, rng(101), c.input()).add(0.3);
        assertArrayEquals(c.random().forward(x).toDoubleArray(), built.forward(x).toDoubleArray(), 0.0);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fromWeights_wrongShape_namesTheArgumentTheExpectedAndTheActualShape(Case c) {
        for (int i = 0; i < c.arguments().size(); i++) {
            List<Tensor> w = new ArrayList<>(weights(c.random(), 102));
            long[] wrong = Arrays.copyOf(w.get(i).shape(), w.get(i).rank() + 1);
            wrong[wrong.length - 1] = 1;
            w.set(i, Tensor.randn(D, rng(103), wrong));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.factory().apply(w));
            String prefix = c.where() + ": " + c.arguments().get(i) + " expected shape [";
            String suffix = "] but got " + Arrays.toString(wrong);
            assertTrue(e.getMessage().startsWith(prefix) && e.getMessage().endsWith(suffix),
                    "argument " + i + ": " + e.getMessage());
        }
    }

    @Test
    void fromWeights_mixedElementTypes_nameTheArgumentAndTheTypeItMustShare() {
        SplittableRandom r = rng(104);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MlpField.fromWeights(TANH, Tensor.randn(D, r, 4, 3), Tensor.randn(DataType.FLOAT, r, 4),
                        Tensor.randn(D, r, 3, 4), Tensor.randn(D, r, 3)));
        assertEquals("MlpField.fromWeights: innerBias expected element type DOUBLE (that of innerWeight) but got FLOAT",
                e.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> MlpField.fromWeights(TANH, Tensor.randn(D, r, 4, 3), Tensor.randn(D, r, 4),
                        Tensor.randn(D, r, 3, 5), Tensor.randn(D, r, 3)));
        assertEquals("MlpField.fromWeights: outerWeight expected shape [n, m] = [3, 4] but got [3, 5]",
                size.getMessage());
    }
}
