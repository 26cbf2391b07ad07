package io.structflow.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Activation;
import io.structflow.core.optim.Adam;
import io.structflow.integrators.SeparableHamiltonian;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.symplectic.StormerVerlet;
import io.structflow.layers.fields.SeparableHamiltonianField;
import io.structflow.layers.verify.Check;
import io.structflow.layers.verify.PropertyChecks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A separable Hamiltonian network learns the pendulum's step-0.1 flow map and stays symplectic. */
class HamiltonianTrainingTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void pendulum_trainingLowersLoss_andLayerStaysSymplectic() {
        SeparableHamiltonian pendulum = new PendulumReference();
        Tensor x0 = Tensor.uniform(D, new SplittableRandom(1), -1.5, 1.5, 32, 2);
        Tensor x1 = x0;
        ExplicitRungeKutta rk4 = ExplicitRungeKutta.rk4();
        for (int i = 0; i < 100; i++) {
            x1 = rk4.step(pendulum, x1, 0.001);
        }
        Tensor target = x1.detach();
        FlowLayer<SeparableHamiltonianField> layer = FlowLayer.fixedStep(
                new SeparableHamiltonianField(2, 16, Activation.tanh(), D, new SplittableRandom(2)),
                new StormerVerlet(), 0.1, 1);
        Adam adam = new Adam(layer, Adam.Config.defaults(0.01));
        double first = Losses.mse(layer.forward(x0), target).item();
        double last = first;
        for (int epoch = 0; epoch < 150; epoch++) {
            adam.zeroGrad();
            Tensor loss = Losses.mse(layer.forward(x0), target);
            Autograd.backward(loss);
            adam.step();
            last = loss.item();
        }
        assertTrue(last < 0.05 * first, "loss " + first + " → " + last);
        Check symplectic = PropertyChecks.check(layer, Property.SYMPLECTIC, x0, 3);
        assertTrue(symplectic.passed() && symplectic.value() < 1e-10, symplectic.toString());
    }

    /** The reference H = p²/2 − cos q with closed-form derivatives on raw arrays (data generation only). */
    private static final class PendulumReference implements SeparableHamiltonian {
        @Override
        public Tensor kinetic(Tensor p) {
            return p.square().sum(false, 1).mul(0.5);
        }

        @Override
        public Tensor potential(Tensor q) {
            return Tensor.constant(Transforms.cos(q.value(), true)).sum(false, 1).neg();
        }

        @Override
        public Tensor dKdp(Tensor p) {
            return p;
        }

        @Override
        public Tensor dUdq(Tensor q) {
            return Tensor.constant(Transforms.sin(q.value(), true));
        }
    }
}
