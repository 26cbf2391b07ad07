package io.structflow.layers.fields;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.lie.CayleyHeun;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import io.structflow.integrators.splitting.Splitting;
import io.structflow.integrators.symplectic.StormerVerlet;
import io.structflow.integrators.symplectic.SymplecticEuler;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.Gradients;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Gradients of every field and of flow layers with learnable steps against finite differences (float64). */
class FieldGradientTest {
    private static final DataType D = DataType.DOUBLE;

    private static SplittableRandom rng(long seed) {
        return new SplittableRandom(seed);
    }

    private static Arguments module(String name, Module m, long... shape) {
        return Arguments.of(Named.of(name, m), shape);
    }

    static Stream<Arguments> modules() {
        Activation tanh = Activation.tanh();
        Activation leaky = Activation.leakyRelu(0.5);
        return Stream.of(
                module("contractive", ContractiveGradientField.of(3, 4, tanh, D, 1), 3, 3),
                module("contractive orthogonal", ContractiveGradientField.orthogonal(3, 4, leaky, D, 2), 3, 3),
                module("expansive", ExpansiveGradientField.of(3, 2, tanh, D, 3), 3, 3),
                module("general", new GeneralGradientField(3, 4, tanh, D, rng(4)), 3, 3),
                module("conv contractive", new ConvContractiveGradientField(1, 2, 3, 3, 3, tanh, D, rng(5)), 2, 1, 3, 3),
                module("conv contractive, dilation 2", new ConvContractiveGradientField(2, 2, 3, 2, 4, 6, tanh, D, rng(26)),
                        2, 2, 4, 6),
                module("triangular skew", new TriangularSkewField(3, 3, tanh, D, rng(6)), 2, 3),
                module("projected sphere", new ProjectedSphereField(3, 3, tanh, D, rng(7)), 2, 3),
                module("mass", new MassPreservingField(3, 3, tanh, D, rng(8)), 2, 3),
                module("separable hamiltonian", new SeparableHamiltonianField(4, 3, tanh, D, rng(9)), 2, 4),
                module("network hamiltonian", new NetworkHamiltonianField(2, 4, D, rng(10)), 2, 2),
                module("network hamiltonian, one layer, no output bias",
                        new NetworkHamiltonianField(2, new int[] {4}, tanh, false, D, rng(28)), 2, 2),
                module("network hamiltonian, three layers",
                        new NetworkHamiltonianField(4, new int[] {3, 4, 2}, tanh, true, D, rng(29)), 2, 4),
                module("divergence free", new DivergenceFreeField(4, 3, tanh, D, rng(11)), 2, 4),
                module("mlp", new MlpField(3, 4, tanh, D, rng(12)), 2, 3),
                module("layer: fused Euler, learnable h, 2 sub-steps",
                        new FlowLayer<>(ContractiveGradientField.of(3, 4, tanh, D, 13), new ExplicitEuler(),
                                FlowLayer.stepParameter(0.7, D), 2), 3, 3),
                module("layer: fused Euler, A = expm(W − Wᵀ) shared by 3 sub-steps, learnable h",
                        new FlowLayer<>(ExpansiveGradientField.orthogonal(3, 3, leaky, D, 23), new ExplicitEuler(),
                                FlowLayer.stepParameter(0.6, D), 3), 3, 3),
                module("layer: fused conv Euler, learnable h",
                        new FlowLayer<>(new ConvExpansiveGradientField(2, 2, 3, 3, 3, tanh, D, rng(14)),
                                new ExplicitEuler(), FlowLayer.stepParameter(0.3, D), 1), 2, 2, 3, 3),
                module("layer: fused conv Euler, dilation 3, learnable h",
                        new FlowLayer<>(new ConvContractiveGradientField(1, 2, 3, 3, 6, 3, tanh, D, rng(27)),
                                new ExplicitEuler(), FlowLayer.stepParameter(0.7, D), 1), 2, 1, 6, 3),
                module("layer: RK4 on general field", new FlowLayer<>(new GeneralGradientField(3, 3, tanh, D, rng(15)),
                        ExplicitRungeKutta.rk4(), FlowLayer.stepParameter(0.4, D), 1), 2, 3),
                module("layer: symplectic Euler", new FlowLayer<>(new SeparableHamiltonianField(4, 3, tanh, D, rng(16)),
                        new SymplecticEuler(), FlowLayer.stepParameter(0.2, D), 2), 2, 4),
                module("layer: Störmer–Verlet", new FlowLayer<>(new SeparableHamiltonianField(2, 3, leaky, D, rng(17)),
                        new StormerVerlet(), FlowLayer.stepParameter(0.3, D), 1), 2, 2),
                module("layer: Cayley–Heun", new FlowLayer<>(new TriangularSkewField(3, 2, tanh, D, rng(18)),
                        new CayleyHeun(), FlowLayer.stepParameter(0.5, D), 1), 2, 3),
                module("layer: implicit midpoint, network Hamiltonian",
                        new FlowLayer<>(new NetworkHamiltonianField(2, 3, D, rng(19)), new ImplicitMidpoint(),
                                FlowLayer.stepParameter(0.2, D), 1), 2, 2),
                module("layer: Strang shears", new FlowLayer<>(new DivergenceFreeField(2, 3, tanh, D, rng(20)),
                        Splitting.strang(new ExplicitEuler(), new ExplicitEuler()), FlowLayer.stepParameter(0.4, D), 1),
                        2, 2));
    }

    @ParameterizedTest
    @MethodSource("modules")
    void gradients_matchFiniteDifferences(Module m, long[] shape) {
        Tensor x = Tensor.randn(D, rng(shape.length * 31L + shape[shape.length - 1]), shape).add(0.3);
        Tensor w = Tensor.randn(D, rng(99), shape);
        double worst = Gradients.worstScaledError(m, m::forward, x, w);
        assertTrue(worst <= 1, "scaled error " + worst);
    }

    @Test
    void fusedEulerStep_equalsComposedIntegratorStep() {
        ContractiveGradientField f = ContractiveGradientField.orthogonal(5, 7, Activation.leakyRelu(0.25), D, 21);
        Tensor x = Tensor.randn(D, rng(22), 6, 5);
        Tensor h = Tensor.scalar(0.8, D);
        double[] fused = new ExplicitEuler().step(f, x, h).toDoubleArray();
        double[] plain = x.add(f.apply(x).mul(h)).toDoubleArray();
        double worst = 0;
        for (int i = 0; i < fused.length; i++) {
            worst = Math.max(worst, Math.abs(fused[i] - plain[i]));
        }
        assertTrue(worst < 1e-13, "fused vs composed " + worst);
    }

    @Test
    void eulerSteps_equalRepeatedEulerSteps() {
        ContractiveGradientField f = ContractiveGradientField.orthogonal(4, 4, Activation.leakyRelu(0.5), D, 24);
        Tensor x = Tensor.randn(D, rng(25), 5, 4);
        Tensor h = Tensor.scalar(0.4, D);
        Tensor y = x;
        ExplicitEuler euler = new ExplicitEuler();
        for (int i = 0; i < 3; i++) {
            y = euler.step(f, y, h);
        }
        double[] once = euler.steps(f, x, h, 3).toDoubleArray();
        double[] repeated = y.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < once.length; i++) {
            worst = Math.max(worst, Math.abs(once[i] - repeated[i]));
        }
        assertTrue(worst < 1e-13, "shared weight vs recomputed " + worst);
    }

    @Test
    void gradientFields_matchAutodiffOfTheirPotential() {
        Tensor x = Tensor.randn(D, rng(23), 4, 3);
        for (io.structflow.integrators.GradientField f : new io.structflow.integrators.GradientField[] {
            ContractiveGradientField.of(3, 5, Activation.leakyRelu(0.25), D, 24),
            new GeneralGradientField(3, 5, Activation.tanh(), D, rng(26)),
            new GeneralGradientField(3, 5, Activation.leakyRelu(0.25), D, rng(25))}) {
            Tensor xv = Tensor.variable(x.value());
            double[] auto = io.structflow.core.autodiff.Autograd.grad(f.potential(xv).sum(), false, xv)[0].toDoubleArray();
            double[] closed = f.gradient(x).toDoubleArray();
            for (int i = 0; i < auto.length; i++) {
                assertTrue(Math.abs(auto[i] - closed[i]) < 1e-12, f.getClass().getSimpleName() + " entry " + i
                        + ": autodiff " + auto[i] + " vs closed form " + closed[i]);
            }
        }
    }
}
