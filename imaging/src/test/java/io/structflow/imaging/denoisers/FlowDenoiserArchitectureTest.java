package io.structflow.imaging.denoisers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The activation and state-scale choices of {@link FlowDenoiser.Architecture}, checked against
 * their definitions on random float64 inputs (untrained networks).
 */
class FlowDenoiserArchitectureTest {
    private static final int SIDE = 12;

    @BeforeAll
    static void init() {
        Backend.init();
    }

    private static Tensor images(long seed) {
        return Tensor.uniform(DataType.DOUBLE, new SplittableRandom(seed), 0, 1, 3, 1, SIDE, SIDE);
    }

    private static double[] values(Tensor t) {
        return t.toDoubleArray();
    }

    /**
     * ReLU is positively homogeneous, so {@code (1/s)·N(s·x)} with biases b is N with biases b/s:
     * the scaled lift and projection must act exactly as that conjugation.
     */
    @Test
    void stateScale_withRelu_isConjugationByTheScaling() {
        double s = 5;
        FlowDenoiser scaled = new FlowDenoiser(new FlowDenoiser.Architecture(3, 6, 3, 3, Activation.relu(), s),
                FlowDenoiser.Scheme.EULER, SIDE, SIDE, DataType.DOUBLE, 7, 0.9);
        FlowDenoiser plain = new FlowDenoiser(new FlowDenoiser.Architecture(3, 6, 3, 3), FlowDenoiser.Scheme.EULER,
                SIDE, SIDE, DataType.DOUBLE, 7, 0.9);
        for (int i = 0; i < plain.layers().size(); i++) {
            Parameter b = plain.layers().get(i).field().bias();
            double[] kPlain = plain.layers().get(i).field().kernel().toDoubleArray();
            double[] kScaled = scaled.layers().get(i).field().kernel().toDoubleArray();
            for (int j = 0; j < kPlain.length; j++) {
                assertEquals(kPlain[j], kScaled[j], 0.0, "same seed, same kernels");
            }
            b.updateInPlace(b.value().mul(1 / s));
        }
        Tensor x = images(1);
        double[] want = values(plain.forward(x));
        double[] got = values(scaled.forward(x));
        double diff = 0;
        double size = 0;
        double[] in = values(x);
        for (int j = 0; j < want.length; j++) {
            diff = Math.max(diff, Math.abs(want[j] - got[j]));
            size = Math.max(size, Math.abs(want[j] - in[j]));
        }
        assertTrue(diff < 1e-12, "max |Γ_s(x) − Γ₁,b/s(x)| = " + diff);
        assertTrue(size > 1e-3, "the denoiser moves its input: max |Γ(x) − x| = " + size);
    }

    /**
     * Γ with tanh fields and state scale s = 8 is α-averaged with α = {@link FlowDenoiser#averagedness()}:
     * {@code ‖Tx − Ty‖² ≤ ‖x − y‖² − ((1 − α)/α)·‖(I − T)x − (I − T)y‖²} on random pairs of images,
     * where the scaling drives tanh well into saturation.
     */
    @Test
    void tanhWithStateScale_isAveragedOnRandomPairs() {
        FlowDenoiser gamma = new FlowDenoiser(new FlowDenoiser.Architecture(3, 6, 4, 3, Activation.tanh(), 8),
                FlowDenoiser.Scheme.EULER, SIDE, SIDE, DataType.DOUBLE, 9, 0.6);
        gamma.certify();
        double alpha = gamma.averagedness();
        assertTrue(alpha > 0.5 && alpha < 0.7, "four layers at τ = 0.6: α = " + alpha);
        double c = (1 - alpha) / alpha;
        for (int pair = 0; pair < 4; pair++) {
            Tensor x = images(10 + pair);
            Tensor y = x.add(Tensor.randn(DataType.DOUBLE, new SplittableRandom(20 + pair), 3, 1, SIDE, SIDE)
                    .mul(0.05 * (pair + 1)));
            double[] xv = values(x);
            double[] yv = values(y);
            double[] tx = values(gamma.forward(x));
            double[] ty = values(gamma.forward(y));
            double out = 0;
            double in = 0;
            double residual = 0;
            for (int j = 0; j < xv.length; j++) {
                double d = tx[j] - ty[j];
                double e = xv[j] - yv[j];
                double r = e - d;
                out += d * d;
                in += e * e;
                residual += r * r;
            }
            double slack = (in - c * residual - out) / in;
            assertTrue(slack > -1e-12, "pair " + pair + ": ‖Tx−Ty‖² = " + out + " exceeds ‖x−y‖² − c‖…‖² = "
                    + (in - c * residual));
            assertTrue(residual > 1e-4 * in, "pair " + pair + ": T is not the identity on it");
        }
    }

    @Test
    void architecture_namesBadActivationsAndScales() {
        IllegalArgumentException leaky = assertThrows(IllegalArgumentException.class,
                () -> new FlowDenoiser.Architecture(2, 4, 2, 3, Activation.leakyRelu(0.5), 1));
        assertTrue(leaky.getMessage().contains("activation expected ReLU or tanh"), leaky.getMessage());
        IllegalArgumentException scale = assertThrows(IllegalArgumentException.class,
                () -> new FlowDenoiser.Architecture(2, 4, 2, 3, Activation.tanh(), 0));
        assertEquals("FlowDenoiser.Architecture: stateScale expected finite and > 0 but got 0.0", scale.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> FlowDenoiser.Architecture.activationNamed("sigmoid"));
        assertEquals("FlowDenoiser.Architecture: activation expected relu or tanh but got 'sigmoid'", name.getMessage());
        assertEquals("tanh", new FlowDenoiser.Architecture(2, 4, 2, 3, FlowDenoiser.Architecture.activationNamed("tanh"),
                2).activationName());
    }
}
