package io.structflow.constraints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.guarantee.EntriesWithin;
import io.structflow.constraints.guarantee.EulerStepLimit;
import io.structflow.constraints.guarantee.NearlyOrthonormal;
import io.structflow.constraints.guarantee.OperatorNormAtMost;
import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.constraints.project.BjorckOrthonormalization;
import io.structflow.constraints.project.EulerStepBound;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.constraints.project.StepBox;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a chain of constraints guarantees, judged against the definition: the stored values after
 * projection are checked with an independent Jacobi eigen-solver ({@link TestMatrices}).
 */
class GuaranteeTest {
    private static final DataType D = DataType.DOUBLE;

    private static Parameter weight(long seed, double scale) {
        return Parameter.of("A", Tensor.randn(D, new SplittableRandom(seed), 6, 4).mul(scale));
    }

    @Test
    void chain_laterOrthonormalisationDropsAnEarlierNormBound() {
        Parameter a = weight(1, 3).constrain(SpectralNormBound.dense(0.5)).constrain(new BjorckOrthonormalization());
        List<Guarantee> g = a.guarantees();
        assertEquals(1, g.size(), g.toString());
        assertTrue(g.get(0) instanceof NearlyOrthonormal, g.toString());
        a.projectInPlace();
        double s = TestMatrices.largestSingularValue(a.toDoubleArray(), 6, 4);
        assertTrue(s > 0.5, "Björck undid the norm bound 0.5: σ₁ = " + s);
        assertTrue(s * s <= 1 + ((NearlyOrthonormal) g.get(0)).residualBound(6, 4), "σ₁² = " + s * s);
    }

    @Test
    void chain_rescalingKeepsAnEarlierNormBound() {
        Parameter a = weight(2, 3).constrain(SpectralNormBound.dense(1)).constrain(SpectralNormBound.dense(0.5));
        assertEquals(List.of(new OperatorNormAtMost("‖W‖₂", 1.0), new OperatorNormAtMost("‖W‖₂", 0.5)), a.guarantees());
        Parameter b = weight(3, 3).constrain(new BjorckOrthonormalization()).constrain(SpectralNormBound.dense(0.5));
        assertEquals(List.of(new OperatorNormAtMost("‖W‖₂", 0.5)), b.guarantees());
    }

    @Test
    void chain_stepBoxAfterEulerStepBoundKeepsOnlyTheBox() {
        Parameter a = weight(4, 1);
        Parameter h = new Parameter("h", Nd4j.scalar(1.0).reshape(1));
        h.constrain(new EulerStepBound(a)).constrain(new StepBox(5, 6));
        assertEquals(List.of(new EntriesWithin(5, 6)), h.guarantees());
        Parameter k = new Parameter("h", Nd4j.scalar(1.0).reshape(1)).constrain(new StepBox(0, 9))
                .constrain(new EulerStepBound(a));
        assertEquals(1, k.guarantees().size());
        assertTrue(k.guarantees().get(0) instanceof EulerStepLimit l && l.weight() == a && l.factor() == 1);
    }

    @Test
    void certifiedNormBound_landsInsideByTheDefinition_andIsIdempotent() {
        for (long seed = 10; seed < 20; seed++) {
            Parameter a = weight(seed, 0.2 + seed % 5).constrain(SpectralNormBound.dense(1));
            a.projectInPlace();
            double s = TestMatrices.largestSingularValue(a.toDoubleArray(), 6, 4);
            assertTrue(s <= 1, "seed " + seed + ": σ₁ = " + s + " after projection onto ‖A‖ ≤ 1");
            double[] once = a.toDoubleArray();
            a.projectInPlace();
            assertArrayEquals(once, a.toDoubleArray(), 0, "a second projection moves nothing");
            if (seed % 5 > 0) {
                assertTrue(s >= 1 - 1e-5, "lands just inside, not deep inside: σ₁ = " + s);
            }
        }
    }

    @Test
    void certifiedNormBound_float32_landsInside() {
        Parameter a = Parameter.of("A", Tensor.randn(DataType.FLOAT, new SplittableRandom(5), 5, 5).mul(4));
        a.constrain(SpectralNormBound.dense(1));
        a.projectInPlace();
        double s = TestMatrices.largestSingularValue(a.toDoubleArray(), 5, 5);
        assertTrue(s <= 1, "float32 σ₁ = " + s);
    }

    @Test
    void estimatedNormBound_guaranteesNothing() {
        SpectralNormBound b = SpectralNormBound.estimated(1, new DenseSpectralNorm(), 1e-6);
        assertTrue(b.guarantees().isEmpty());
    }

    @Test
    void eulerStepBound_keepsTheStepBelowTwoOverTheTrueNormSquared() {
        for (long seed = 30; seed < 36; seed++) {
            Parameter a = weight(seed, 0.3 + seed % 3);
            Parameter h = new Parameter("h", Nd4j.scalar(50.0).reshape(1)).constrain(new EulerStepBound(a));
            h.projectInPlace();
            double s = TestMatrices.largestSingularValue(a.toDoubleArray(), 6, 4);
            double tau = h.toDoubleArray()[0];
            assertTrue(tau <= 2 / (s * s), "seed " + seed + ": τ = " + tau + " > 2/‖A‖² = " + 2 / (s * s));
            assertTrue(tau >= 2 / (s * s) * (1 - 1e-5), "τ is clamped to the limit, not far below it");
        }
    }
}
