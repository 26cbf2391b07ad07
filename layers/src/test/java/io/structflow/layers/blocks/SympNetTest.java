package io.structflow.layers.blocks;

import static io.structflow.layers.blocks.BlockChecks.D;
import static io.structflow.layers.blocks.BlockChecks.determinant;
import static io.structflow.layers.blocks.BlockChecks.gradientError;
import static io.structflow.layers.blocks.BlockChecks.jacobian;
import static io.structflow.layers.blocks.BlockChecks.randn;
import static io.structflow.layers.blocks.BlockChecks.randomise;
import static io.structflow.layers.blocks.BlockChecks.symplecticResidual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.layers.Property;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SympNetTest {

    private static void assertSymplectic(SympNet net, long seed) {
        for (int k = 0; k < 4; k++) {
            Tensor x = randn(seed + k, 1, 2L * net.dimension());
            double[][] j = jacobian(net::forward, x);
            assertTrue(symplecticResidual(j) < 1e-10, "‖JᵀΩJ − Ω‖ = " + symplecticResidual(j));
            assertEquals(1.0, determinant(j), 1e-10);
        }
    }

    @Test
    void pendulumNet_isSymplecticAndHasThePaperSize() {
        SympNet net = SympNet.pendulum(1, D);
        randomise(net, "b", 0.5, 2);
        assertEquals(8, net.modules().size());
        assertEquals(8 * (32 + 32 + 32), net.parameterCount());
        assertEquals(SympNetModule.Half.UP, net.modules().get(0).half());
        assertEquals(SympNetModule.Half.LOW, net.modules().get(1).half());
        assertSymplectic(net, 10);
        assertEquals(Set.of(Property.SYMPLECTIC, Property.VOLUME_PRESERVING, Property.INVERTIBLE), net.properties());
    }

    @Test
    void gradientAndLinearActivationNets_areSymplecticInDimensionTwo() {
        assertSymplectic(SympNet.gradient(2, 4, 6, Activation.tanh(), 3, D), 20);
        SympNet la = SympNet.linearActivation(2, 2, 2, Activation.tanh(), 4, D);
        randomise(la, "A", 0.5, 5);
        randomise(la, "a", 1.0, 6);
        assertSymplectic(la, 30);
        SympNet mixed = SympNet.builder(2, 7, D).linear().gradient(5, Activation.leakyRelu(0.5)).activation(Activation.tanh())
                .build();
        assertSymplectic(mixed, 40);
    }

    @Test
    void aNonSymmetricShear_failsTheCheck() {
        SympNetModule broken = new SympNetModule(2, SympNetModule.Half.UP) {
            @Override
            protected Tensor shift(Tensor u) {
                return u.matmul(Tensor.of(D, new double[] {0, 1, 0, 0}, 2, 2), false, false);
            }
        };
        double[][] j = jacobian(broken::forward, randn(1, 1, 4));
        assertEquals(1.0, symplecticResidual(j), 1e-15);
        assertEquals(1.0, determinant(j), 1e-15, "a shear keeps volume even when it is not symplectic");
    }

    @Test
    void inverse_undoesForward() {
        SympNet net = SympNet.linearActivation(3, 2, 2, Activation.tanh(), 8, D);
        randomise(net, "A", 0.5, 9);
        Tensor x = randn(10, 16, 6);
        Tensor y = net.forward(x);
        assertTrue(BlockChecks.maxRatio(t -> t, y, x) > 1e-3, "the net is not the identity");
        assertArrayEquals(x.toDoubleArray(), net.inverse(y).toDoubleArray(), 1e-12);
        SympNet g = SympNet.pendulum(11, D);
        assertArrayEquals(x.slice(1, 0, 2).toDoubleArray(), g.inverse(g.forward(x.slice(1, 0, 2))).toDoubleArray(),
                1e-12);
    }

    @Test
    void gradients_matchFiniteDifferences() {
        SympNet net = SympNet.builder(1, 12, D).gradient(3, Activation.tanh()).linear().activation(Activation.tanh())
                .build();
        randomise(net, "b", 0.5, 13);
        assertTrue(gradientError(net, randn(14, 3, 2), 15) <= 1.0);
    }

    @Test
    void badInput_isRejected() {
        SympNet net = SympNet.pendulum(1, D);
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> net.forward(Tensor.zeros(D, 2, 3)));
        assertTrue(width.getMessage().contains("[*, 2]") && width.getMessage().contains("[2, 3]"), width.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SympNet(List.of()));
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> new SympNet(List.of(
                new LinearModule(1, SympNetModule.Half.UP, 1, D), new LinearModule(2, SympNetModule.Half.LOW, 1, D))));
        assertTrue(mixed.getMessage().contains("modules[1]"), mixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GradientModule(1, 0, SympNetModule.Half.UP,
                Activation.tanh(), 1, D));
    }
}
