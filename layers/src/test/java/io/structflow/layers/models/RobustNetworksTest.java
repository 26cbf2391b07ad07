package io.structflow.layers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.Backend;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.blocks.DynamicalBlock;
import io.structflow.layers.blocks.Lipschitz;
import io.structflow.layers.blocks.NormalisedLinear;
import io.structflow.layers.blocks.ResNetBlock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class RobustNetworksTest {
    private static final Architecture ARCH = new Architecture(new int[] {4, 8, 12}, 1, 2, 0.5, true, DataType.DOUBLE, 3);

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    void build_everyNetwork_hasTheStatedWidthsAndDepth() {
        for (NetworkKind kind : NetworkKind.values()) {
            RobustNetworks.Network net = RobustNetworks.build(kind, ARCH, 10);
            List<Module> layers = net.model().layers();
            // lift, 2 layers, pool, lift, 2 layers, pool, lift, 2 layers, flatten, head (switching: 1 block of 1 pair)
            int perStage = kind == NetworkKind.PRESCRIBED || kind == NetworkKind.FLEXIBLE ? 1 : 2;
            assertEquals(3 * (1 + perStage) + 2 + 2, layers.size(), kind.key());
            NormalisedLinear first = (NormalisedLinear) layers.get(0);
            assertArrayEquals(new long[] {4, 1, 3, 3}, first.weight().shape(), kind.key());
            long convParams = 0;
            for (var e : net.model().namedParameters().entrySet()) {
                Parameter p = e.getValue();
                if (p.rank() == 4 && p.size(0) == p.size(1)) {
                    convParams++;
                }
            }
            // 2 residual layers per stage, one kernel each (gradient fields) or two (A and B), 3 stages
            long expected = kind == NetworkKind.NAIVE || kind == NetworkKind.RESNET ? 12 : 6;
            assertEquals(expected, convParams, kind.key() + " square 3x3 kernels");
            Tensor x = Tensor.randn(DataType.DOUBLE, new SplittableRandom(1), 2, 1, 28, 28);
            try (GradMode.Scope s = GradMode.noGrad()) {
                assertArrayEquals(new long[] {2, 10}, net.model().forward(x).shape());
            }
            assertEquals(kind == NetworkKind.PRESCRIBED || kind == NetworkKind.FLEXIBLE ? 3 : 0,
                    net.dynamicalBlocks().size());
            assertEquals(kind == NetworkKind.RESNET, net.orthogonalKernels().isEmpty());
        }
    }

    @Test
    void lipschitzBound_holdsOnRandomPairs_forEveryNetwork() {
        SplittableRandom rng = new SplittableRandom(7);
        for (NetworkKind kind : NetworkKind.values()) {
            RobustNetworks.Network net = RobustNetworks.build(kind, ARCH, 10);
            double bound = Lipschitz.bound(net.model());
            assertTrue(Double.isFinite(bound) && bound > 0, kind.key() + " bound " + bound);
            double worst = 0;
            try (GradMode.Scope s = GradMode.noGrad()) {
                for (int trial = 0; trial < 6; trial++) {
                    Tensor x = Tensor.uniform(DataType.DOUBLE, rng, 0, 1, 4, 1, 28, 28);
                    double scale = trial < 3 ? 1e-3 : 0.5;
                    Tensor y = x.add(Tensor.randn(DataType.DOUBLE, rng, 4, 1, 28, 28).mul(scale));
                    double[] fx = net.model().forward(x).toDoubleArray();
                    double[] fy = net.model().forward(y).toDoubleArray();
                    double[] dx = y.sub(x).toDoubleArray();
                    for (int b = 0; b < 4; b++) {
                        worst = Math.max(worst, norm(fx, fy, b, 10) / norm(dx, new double[dx.length], b, 784));
                    }
                }
            }
            assertTrue(worst > 0, kind.key() + " is constant");
            assertTrue(worst <= bound * (1 + 1e-9), kind.key() + ": empirical ratio " + worst + " > bound " + bound);
        }
    }

    @Test
    void constrainedLayers_areNonExpansive_andBoundedChainIsAnOption() {
        RobustNetworks.Network ne = RobustNetworks.build(NetworkKind.NON_EXPANSIVE, ARCH, 10);
        for (Module m : ne.model().layers()) {
            if (m instanceof FlowLayer<?> f) {
                assertTrue(f.lipschitzBound() <= 1 + 1e-5, "non-expansive layer bound " + f.lipschitzBound());
            }
            if (m instanceof NormalisedLinear n) {
                assertEquals(NormalisedLinear.Scale.AT_MOST_ONE, n.scale());
            }
        }
        RobustNetworks.Network naive = RobustNetworks.build(NetworkKind.NAIVE, ARCH, 10);
        for (Module m : naive.model().layers()) {
            if (m instanceof ResNetBlock r) {
                assertTrue(r.naive() && r.lipschitzBound() <= 1 + 1e-6, "naive block bound " + r.lipschitzBound());
            }
        }
        Architecture free = new Architecture(new int[] {4, 8, 12}, 1, 2, 0.5, false, DataType.DOUBLE, 3);
        RobustNetworks.Network flex = RobustNetworks.build(NetworkKind.FLEXIBLE, free, 10);
        long freeLifts = flex.model().layers().stream()
                .filter(m -> m instanceof NormalisedLinear n && n.scale() == NormalisedLinear.Scale.FREE).count();
        assertEquals(4, freeLifts, "3 lifts and the head have a free α");
        DynamicalBlock b = flex.dynamicalBlocks().get(0);
        assertEquals(DynamicalBlock.Switching.FLEXIBLE, b.switching());
        assertEquals(2, b.substeps());
        assertEquals(3, flex.learnedSteps().length);
        RobustNetworks.Network resnet = RobustNetworks.build(NetworkKind.RESNET, ARCH, 10);
        assertFalse(resnet.model().layers().stream().anyMatch(m -> m instanceof NormalisedLinear n && n.normBounded()),
                "the unconstrained ResNet has plain lifts and head");
    }

    /**
     * The naive block ½(x + AᵀReLU(Bx)) starts with A = B = Q a delta-orthogonal kernel, so on an
     * input whose pre-activation Qx is non-negative it is the identity (½(x + QᵀQx) = x).
     */
    @Test
    void naiveBlocks_startAsTheIdentityWherePreactivationsArePositive() {
        RobustNetworks.Network naive = RobustNetworks.build(NetworkKind.NAIVE, ARCH, 10);
        assertEquals(RobustNetworks.DELTA_ORTHOGONAL_SHARED_INIT, naive.initialisation(),
                "the checkpoint fingerprint names this start");
        SplittableRandom rng = new SplittableRandom(11);
        int checked = 0;
        for (Module m : naive.model().layers()) {
            if (!(m instanceof ResNetBlock block)) {
                continue;
            }
            assertArrayEquals(block.a().toDoubleArray(), block.b().toDoubleArray(), 0, "A = B");
            long[] shape = block.a().shape();
            int c = (int) shape[0];
            double[] kernel = block.a().toDoubleArray();
            double[][] q = new double[c][c];
            for (int o = 0; o < c; o++) {
                for (int i = 0; i < c; i++) {
                    for (int t = 0; t < 9; t++) {
                        double w = kernel[(o * c + i) * 9 + t];
                        if (t == 4) {
                            q[o][i] = w;
                        } else {
                            assertEquals(0, w, 0, "off-centre tap");
                        }
                    }
                }
            }
            // the certified projection onto ‖Q‖ ≤ 1 lands strictly inside: Q = λQ₀, Q₀ orthogonal, λ ∈ [1 − 1e-5, 1]
            double lambdaSquared = 0;
            for (int o = 0; o < c; o++) {
                lambdaSquared += q[o][0] * q[o][0];
            }
            assertTrue(lambdaSquared <= 1 && lambdaSquared >= 1 - 2e-5, "λ² = " + lambdaSquared);
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < c; j++) {
                    double dot = 0;
                    for (int o = 0; o < c; o++) {
                        dot += q[o][i] * q[o][j];
                    }
                    assertEquals(i == j ? lambdaSquared : 0, dot, 1e-9, "QᵀQ = λ²I");
                }
            }
            int side = c == 4 ? 28 : c == 8 ? 14 : 7;   // stages of ARCH: channels 4-8-12 on 28, 14, 7
            double[] u = Tensor.uniform(DataType.DOUBLE, rng, 0, 1, 2, c, side, side).toDoubleArray();
            double[] x = new double[u.length];
            int pixels = side * side;
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < c; i++) {
                    for (int o = 0; o < c; o++) {
                        for (int p = 0; p < pixels; p++) {
                            x[(b * c + i) * pixels + p] += q[o][i] * u[(b * c + o) * pixels + p];
                        }
                    }
                }
            }
            try (GradMode.Scope s = GradMode.noGrad()) {
                double[] y = block.forward(Tensor.of(DataType.DOUBLE, x, 2, c, side, side)).toDoubleArray();
                double[] expected = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    expected[i] = 0.5 * (1 + lambdaSquared) * x[i];
                }
                assertArrayEquals(expected, y, 1e-12, "block(Qᵀu) = ½(1 + λ²)Qᵀu for u ≥ 0 (the identity when λ = 1)");
            }
            checked++;
        }
        assertEquals(6, checked);
    }

    @Test
    void badOptions_nameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkKind.parseList("prescribed,cnn"));
        assertTrue(e.getMessage().contains("networks expected") && e.getMessage().contains("cnn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Architecture(new int[] {4, 8, 8, 8}, 1, 2, 0.5, true, DataType.FLOAT, 1));
        assertTrue(e.getMessage().contains("channels expected"), e.getMessage());
        assertEquals(List.of(NetworkKind.values()), NetworkKind.parseList("all"));
    }

    private static double norm(double[] a, double[] b, int row, int width) {
        double s = 0;
        for (int i = row * width; i < (row + 1) * width; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
