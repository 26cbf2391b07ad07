package io.structflow.layers.blocks;

import static io.structflow.layers.blocks.BlockChecks.D;
import static io.structflow.layers.blocks.BlockChecks.empiricalLipschitz;
import static io.structflow.layers.blocks.BlockChecks.gradientError;
import static io.structflow.layers.blocks.BlockChecks.randn;
import static io.structflow.layers.blocks.BlockChecks.randomise;
import static io.structflow.layers.blocks.BlockChecks.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.linalg.CircularConvolutionSpectrum;
import io.structflow.constraints.project.NonExpansiveStepRegion;
import io.structflow.core.autodiff.Tensor;
import io.structflow.layers.Property;
import io.structflow.layers.fields.CircularConvGradientField;
import io.structflow.layers.fields.GradientFlowField;
import io.structflow.layers.verify.Check;
import io.structflow.layers.verify.PropertyChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class OrthogonalConvBlockTest {
    private static DynamicalBlock block(long seed, DataType type) {
        DynamicalBlock b = DynamicalBlock.orthogonalConv(3, 2, 0.5, 2, 3, 5, 4, seed, type);
        randomise(b, "K", 1.0, seed + 1);
        return b;
    }

    @Test
    void orthogonalConv_reportsLipschitz1ByThePairRule_withBoundOne() {
        DynamicalBlock b = block(31, D);
        assertEquals(Set.of(Property.LIPSCHITZ_1), b.properties());
        assertTrue(b.lipschitzVerdict().reason().contains("(3.10)"), b.lipschitzVerdict().reason());
        assertEquals(1.0, b.lipschitzBound());
        // the expansive layer alone is not non-expansive: only the pair rule gives the bound 1
        assertTrue(b.pairBounds().length == 2);
    }

    @Test
    void orthogonalConv_randomPairsAndJacobians_areWithinOne_onBoundarySteps() {
        for (DataType type : new DataType[] {D, DataType.FLOAT}) {
            DynamicalBlock b = block(32, type);
            NonExpansiveStepRegion r = new NonExpansiveStepRegion(0.5, 2);
            set(b.steps(), 0.6, r.boundary(0.6), 1.5, r.boundary(1.5));
            b.steps().projectInPlace();
            assertEquals(Set.of(Property.LIPSCHITZ_1), b.properties());
            Tensor x = randn(33, 6, 3, 5, 4).to(type);
            Check c = PropertyChecks.check(b, Property.LIPSCHITZ_1, x, 34);
            assertTrue(c.passed(), type + ": " + c);
            assertTrue(c.value() > 0.2, "the block should not collapse: " + c);
        }
        double ratio = empiricalLipschitz(block(35, D)::forward, 36, 100, 3, 5, 4);
        assertTrue(ratio <= 1 + 1e-10, "ratio " + ratio);
    }

    @Test
    void orthogonalConv_everyOperatorHasExactSingularValuesOne() {
        DynamicalBlock b = block(37, D);
        List<GradientFlowField> fields = new ArrayList<>(b.contractiveFields());
        fields.addAll(b.expansiveFields());
        for (GradientFlowField f : fields) {
            CircularConvGradientField c = (CircularConvGradientField) f;
            Tensor kernel = c.parametrization().operator().kernelOf(c.weightParameter().effective());
            for (double s : CircularConvolutionSpectrum.singularValues(kernel.value(), 5, 4)) {
                assertEquals(1.0, s, 1e-10);
            }
            assertEquals(1.0, f.guaranteedWeightBounds().normUpper());
            assertEquals(1.0, f.guaranteedWeightBounds().inputSingularLower());
        }
    }

    @Test
    void orthogonalConv_gradients_matchFiniteDifferences() {
        DynamicalBlock b = DynamicalBlock.orthogonalConv(2, 1, 0.5, 1, 3, 3, 3, 38, D);
        double error = gradientError(b, randn(39, 2, 2, 3, 3), 40);
        assertTrue(error <= 1.0, "relative gradient error " + error);
    }

    @Test
    void pixelUnshuffle_keepsNormsAndIsInvertedExactly() {
        PixelUnshuffle p = new PixelUnshuffle(2);
        Tensor x = randn(41, 3, 2, 4, 6);
        Tensor y = p.forward(x);
        assertEquals(List.of(3L, 8L, 2L, 3L), java.util.Arrays.stream(y.shape()).boxed().toList());
        double[] xv = x.toDoubleArray();
        double[] back = p.inverse(y).toDoubleArray();
        for (int i = 0; i < xv.length; i++) {
            assertEquals(xv[i], back[i], 0.0);
        }
        // y[b, c·4 + i·2 + j, u, v] = x[b, c, 2u + i, 2v + j]
        assertEquals(xv[((1 * 2 + 1) * 4 + 2 * 1 + 1) * 6 + 2 * 2 + 0], y.toDoubleArray()[((1 * 8 + 1 * 4 + 2) * 2 + 1) * 3 + 2]);
        for (Property prop : p.properties()) {
            Check c = PropertyChecks.check(p, prop, x, 42);
            assertTrue(c.passed(), prop + ": " + c);
        }
    }
}
