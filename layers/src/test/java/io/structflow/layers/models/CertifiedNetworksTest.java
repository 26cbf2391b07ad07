package io.structflow.layers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.layers.blocks.Lipschitz;
import io.structflow.layers.verify.Check;
import io.structflow.layers.verify.PropertyChecks;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class CertifiedNetworksTest {
    private static final Architecture ARCH = new Architecture(new int[] {4, 16}, 1, 1, 0.5, true, DataType.DOUBLE, 5);

    @Test
    void build_bothKinds_mapImagesToLogitsWithinTheirCertifiedBound() {
        Tensor x = Tensor.uniform(DataType.DOUBLE, new SplittableRandom(6), 0, 1, 3, 1, 28, 28);
        for (CertifiedNetworks.Kind kind : CertifiedNetworks.Kind.values()) {
            Sequential model = CertifiedNetworks.build(kind, CertifiedNetworks.Head.SCALED, ARCH, 10);
            assertArrayEquals(new long[] {3, 10}, model.forward(x).shape(), kind.key());
            double bound = Lipschitz.bound(model);
            assertTrue(bound <= 1 + 1e-6, kind + ": every layer is 1-Lipschitz, bound " + bound);
            Check pairs = PropertyChecks.lipschitzRatio(model::forward, x, 1.0, 4, 7, bound, 1e-10);
            Check jacobian = PropertyChecks.jacobianNorm(model::forward, x, 30, 7, bound, 1e-10);
            assertTrue(pairs.passed() && jacobian.passed(), kind + ": " + pairs + "; " + jacobian);
        }
    }

    @Test
    void denseTail_atItsLargestSteps_staysOneLipschitzByDefinition() {
        Tensor x = Tensor.uniform(DataType.DOUBLE, new SplittableRandom(8), 0, 1, 3, 1, 28, 28);
        SplittableRandom rng = new SplittableRandom(9);
        for (CertifiedNetworks.Kind kind : CertifiedNetworks.Kind.values()) {
            Sequential model = CertifiedNetworks.build(kind, CertifiedNetworks.Head.SCALED,
                    new CertifiedNetworks.DenseTail(2, 12), ARCH, 10);
            // large dense weights and steps far above 2/‖A‖²: the projection must bring every step back to its bound
            List<io.structflow.core.nn.Module> layers = model.layers();
            for (io.structflow.core.nn.Module tail : layers.subList(layers.size() - 3, layers.size() - 1)) {
                for (Parameter p : tail.parameters()) {
                    double scale = p.value().length() == 1 ? 50 : 3;
                    p.updateInPlace(Tensor.uniform(DataType.DOUBLE, rng, 0, scale, p.value().shape()).value());
                }
            }
            model.parameters().forEach(Parameter::projectInPlace);   // as an optimiser step ends
            double bound = Lipschitz.bound(model);
            assertTrue(bound <= 1 + 1e-6, kind + ": the tail keeps the bound, " + bound);
            Check pairs = PropertyChecks.lipschitzRatio(model::forward, x, 1.0, 4, 7, 1.0, 1e-10);
            Check jacobian = PropertyChecks.jacobianNorm(model::forward, x, 30, 7, 1.0, 1e-10);
            assertTrue(pairs.passed() && jacobian.passed(), kind + ": " + pairs + "; " + jacobian);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CertifiedNetworks.DenseTail(-1, 8));
        assertTrue(e.getMessage().contains("--dense-layers") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CertifiedNetworks.DenseTail(1, 0));
        assertTrue(e.getMessage().contains("--dense-width") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void orthogonalSwitching_boundIsExactlyTheHeads() {
        Sequential model = CertifiedNetworks.build(CertifiedNetworks.Kind.ORTHOGONAL_SWITCHING,
                CertifiedNetworks.Head.SCALED, ARCH, 10);
        List<io.structflow.core.nn.Module> layers = model.layers();
        double head = ((io.structflow.layers.LipschitzBounded) layers.get(layers.size() - 1)).lipschitzBound();
        assertEquals(head, Lipschitz.bound(model), 0.0);
    }

    @Test
    void build_badChannelsAndKinds_areNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CertifiedNetworks.build(
                CertifiedNetworks.Kind.CPL, CertifiedNetworks.Head.SCALED,
                new Architecture(new int[] {4, 8}, 1, 1, 0.5, true, DataType.FLOAT, 1), 10));
        assertTrue(e.getMessage().contains("--channels") && e.getMessage().contains("16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CertifiedNetworks.Kind.parseList("cpl,lenet"));
        assertTrue(e.getMessage().contains("--networks") && e.getMessage().contains("lenet"), e.getMessage());
        assertEquals(List.of(CertifiedNetworks.Kind.values()), CertifiedNetworks.Kind.parseList("all"));
        e = assertThrows(IllegalArgumentException.class, () -> CertifiedNetworks.Head.parse("softmax"));
        assertTrue(e.getMessage().contains("--head") && e.getMessage().contains("softmax"), e.getMessage());
        assertEquals(CertifiedNetworks.Head.ROW_NORMALISED, CertifiedNetworks.Head.parse("row_normalised"));
    }
}
