package io.structflow.layers.fields;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Depth, width, activation and output bias of the network Hamiltonian, against closed forms (float64). */
class NetworkHamiltonianFieldTest {
    private static final DataType D = DataType.DOUBLE;

    private static SplittableRandom rng(long seed) {
        return new SplittableRandom(seed);
    }

    @Test
    void oneHiddenLayerWithoutOutputBias_isWTransposeSigmaOfAffine() {
        int d = 2;
        int m = 5;
        SplittableRandom r = rng(1);
        Tensor weight = Tensor.randn(D, r, m, 2 * d);
        Tensor bias = Tensor.randn(D, r, m);
        Tensor w = Tensor.randn(D, r, 1, m);
        NetworkHamiltonianField field = NetworkHamiltonianField.fromWeights(Activation.tanh(), List.of(weight),
                List.of(bias), w, null);
        assertEquals(List.of("hidden1.weight", "hidden1.bias", "out.weight"),
                List.copyOf(field.namedParameters().keySet()));
        Tensor x = Tensor.randn(D, rng(2), 3, 2 * d);
        double[] wx = weight.toDoubleArray();
        double[] b = bias.toDoubleArray();
        double[] ws = w.toDoubleArray();
        double[] xs = x.toDoubleArray();
        double[] h = field.hamiltonian(x).toDoubleArray();
        double[] f = field.apply(x).toDoubleArray();
        for (int s = 0; s < 3; s++) {
            double energy = 0;
            double[] gradient = new double[2 * d];
            for (int k = 0; k < m; k++) {
                double z = b[k];
                for (int j = 0; j < 2 * d; j++) {
                    z += wx[k * 2 * d + j] * xs[s * 2 * d + j];
                }
                double t = Math.tanh(z);
                energy += ws[k] * t;
                for (int j = 0; j < 2 * d; j++) {
                    gradient[j] += wx[k * 2 * d + j] * ws[k] * (1 - t * t);
                }
            }
            assertEquals(energy, h[s], 1e-14, "H, sample " + s);
            for (int i = 0; i < d; i++) {
                assertEquals(gradient[d + i], f[s * 2 * d + i], 1e-14, "dq/dt = ∂H/∂p, sample " + s);
                assertEquals(-gradient[i], f[s * 2 * d + d + i], 1e-14, "dp/dt = −∂H/∂q, sample " + s);
            }
        }
    }

    @Test
    void defaultConstructor_keepsTheNamesAndTheSeededWeightsOfTwoTanhLayers() {
        NetworkHamiltonianField field = new NetworkHamiltonianField(4, 6, D, rng(3));
        SplittableRandom r = rng(3);
        Linear[] former = {new Linear(4, 6, true, D, r), new Linear(6, 6, true, D, r), new Linear(6, 1, true, D, r)};
        String[] names = {"hidden1", "hidden2", "out"};
        Map<String, Parameter> p = field.namedParameters();
        assertEquals(6, p.size());
        for (int l = 0; l < 3; l++) {
            assertArrayEquals(former[l].weight().toDoubleArray(), p.get(names[l] + ".weight").toDoubleArray());
            assertArrayEquals(former[l].bias().toDoubleArray(), p.get(names[l] + ".bias").toDoubleArray());
        }
    }

    @Test
    void threeLeakyReluLayersWithoutOutputBias_composeTheLayers() {
        Activation sigma = Activation.leakyRelu(0.1);
        NetworkHamiltonianField field = new NetworkHamiltonianField(4, new int[] {3, 5, 2}, sigma, false, D, rng(4));
        Map<String, Parameter> p = field.namedParameters();
        assertEquals(List.of("hidden1.weight", "hidden1.bias", "hidden2.weight", "hidden2.bias", "hidden3.weight",
                "hidden3.bias", "out.weight"), List.copyOf(p.keySet()));
        Tensor x = Tensor.randn(D, rng(5), 4, 4);
        Tensor z = x;
        for (int l = 1; l <= 3; l++) {
            z = sigma.apply(z.matmul(p.get("hidden" + l + ".weight"), false, true).add(p.get("hidden" + l + ".bias")));
        }
        double[] expected = z.matmul(p.get("out.weight"), false, true).toDoubleArray();
        assertArrayEquals(expected, field.hamiltonian(x).toDoubleArray(), 1e-14);
    }

    @Test
    void badArguments_areNamedWithWhatWasExpected() {
        SplittableRandom r = rng(6);
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> NetworkHamiltonianField.fromWeights(Activation.tanh(), List.of(Tensor.randn(D, r, 5, 3)),
                        List.of(Tensor.randn(D, r, 5)), Tensor.randn(D, r, 1, 5), null));
        assertEquals("NetworkHamiltonianField.fromWeights: hiddenWeights[0] expected an even number 2d of columns "
                + "(a state [q, p]) but got 3", odd.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> NetworkHamiltonianField.fromWeights(Activation.tanh(), List.of(Tensor.randn(D, r, 5, 4)),
                        List.of(), Tensor.randn(D, r, 1, 5), null));
        assertEquals("NetworkHamiltonianField.fromWeights: hiddenBiases expected one vector per hidden weight (1) "
                + "but got 0", count.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new NetworkHamiltonianField(4, new int[0], Activation.tanh(), true, D, r));
        assertEquals("NetworkHamiltonianField: hiddenWidths expected at least one width but got none",
                none.getMessage());
    }
}
