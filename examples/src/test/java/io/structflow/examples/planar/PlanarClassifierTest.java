package io.structflow.examples.planar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.project.NonExpansiveStepRegion;
import io.structflow.core.Backend;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Dataset;
import io.structflow.layers.models.Family;
import io.structflow.layers.models.PlanarClassifier;
import io.structflow.layers.verify.PropertyChecks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class PlanarClassifierTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    /** float64 settings with the steps at the edge of their sets and random rotations A. */
    private static Settings edge() {
        return new Settings(PlanarSet.DISC, 200, 200, 4, 10, 0.5, 2, 1, 64, 1e-2, 1.0, 1.0, 10.0, 0.0, 0.5, 2.0,
                DataType.DOUBLE);
    }

    @Test
    void features_atTheEdgeOfTheStepSets_areOneLipschitzForTheConstrainedFamilies() {
        Settings s = edge();
        Tensor x = PlanarExperiment.all(s.dataset().test(200, 1, DataType.DOUBLE));
        for (Family f : new Family[] {Family.ALTERNATING, Family.CONTRACTIVE}) {
            PlanarClassifier model = new PlanarClassifier(f, s.architecture(), 3);
            assertEquals(0.0, model.stepViolation(), f + " steps outside their set");
            double ratio = PropertyChecks.lipschitzRatio(model::features, x, 0.5, 8, 5, 1.0, 0).value();
            assertTrue(ratio <= 1 + 1e-10, f + ": Lipschitz ratio " + ratio);
        }
        PlanarClassifier expansive = new PlanarClassifier(Family.EXPANSIVE, s.architecture(), 3);
        double ratio = PropertyChecks.lipschitzRatio(expansive::features, x, 0.5, 4, 5, 1.0, 0).value();
        assertTrue(ratio > 1.5, "expansive steps of 0.5 should expand some pair, ratio " + ratio);
    }

    @Test
    void alternatingSteps_areProjectedOntoTheBoundaryOfR() {
        PlanarClassifier model = new PlanarClassifier(Family.ALTERNATING, edge().architecture(), 3);
        NonExpansiveStepRegion r = new NonExpansiveStepRegion(0.5, 2);
        double[] h = model.steps();
        assertEquals(10, h.length);
        for (int i = 0; i < h.length; i += 2) {
            assertTrue(r.contains(h[i], h[i + 1]), "pair " + i / 2 + " outside R");
            assertEquals(1.0, r.lipschitzBound(h[i], h[i + 1]), 1e-9, "the initial (1, 10) projects onto the curve");
        }
    }

    @Test
    void finalTime_isTheSumOfTheStepLengths() {
        Settings s = Settings.defaults();
        PlanarClassifier model = new PlanarClassifier(Family.CONTRACTIVE, s.architecture(), 1);
        double[] expected = new double[10];
        java.util.Arrays.fill(expected, s.contractiveStep());
        assertArrayEquals(expected, model.steps(), 1e-6);
        assertEquals(10 * s.contractiveStep(), model.finalTime(), 1e-5);
        PlanarClassifier alternating = new PlanarClassifier(Family.ALTERNATING, s.architecture(), 1);
        double sum = 0;
        for (double h : alternating.steps()) {
            sum += h;
        }
        assertEquals(sum, alternating.finalTime(), 1e-12);
        assertEquals(5 * (s.alternatingH1() + s.alternatingH2()), alternating.finalTime(), 1e-6);
    }

    @Test
    void datasets_areBalancedAndDisjoint() {
        for (PlanarSet set : PlanarSet.values()) {
            Dataset train = set.train(400, 2, DataType.DOUBLE);
            Dataset test = set.test(400, 2, DataType.DOUBLE);
            int ones = 0;
            for (int y : train.labels()) {
                ones += y;
            }
            assertTrue(Math.abs(ones - 200) <= 20, set + ": " + ones + " of 400 in class 1");
            double[] a = train.features().castTo(DataType.DOUBLE).data().asDouble();
            double[] b = test.features().castTo(DataType.DOUBLE).data().asDouble();
            assertTrue(a[0] != b[0] || a[1] != b[1], set + ": train and test start with the same point");
        }
        Dataset rings = PlanarSet.rings(2000, 4, DataType.DOUBLE);
        double[] xy = rings.features().castTo(DataType.DOUBLE).data().asDouble();
        double inner = 0;
        double outer = 0;
        for (int i = 0; i < 2000; i++) {
            double r = Math.hypot(xy[2 * i], xy[2 * i + 1]);
            if (rings.labels()[i] == 1) {
                inner += r / 1000;
            } else {
                outer += r / 1000;
            }
        }
        assertEquals(PlanarSet.INNER_RADIUS, inner, 0.02);
        assertEquals(PlanarSet.OUTER_RADIUS, outer, 0.02);
    }
}
