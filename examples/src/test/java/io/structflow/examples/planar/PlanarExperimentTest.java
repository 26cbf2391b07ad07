package io.structflow.examples.planar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.project.NonExpansiveStepRegion;
import io.structflow.core.Backend;
import io.structflow.layers.models.Family;
import io.structflow.layers.models.PlanarClassifier;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** A reduced Table 1: one seed per family, 500 training points, few epochs. */
class PlanarExperimentTest {
    private static final int EPOCHS = 150;
    private static final Map<Family, PlanarExperiment.Trained> TRAINED = new EnumMap<>(Family.class);
    private static PlanarExperiment experiment;

    @BeforeAll
    static void train() {
        Backend.init();
        experiment = new PlanarExperiment(Settings.defaults().withEpochs(EPOCHS).withSizes(500, 500), 1);
        for (Family f : Family.values()) {
            TRAINED.put(f, experiment.run(f, 11, true));
        }
    }

    @Test
    void everyFamily_learnsTheDisc_farAboveChance() {
        for (Family f : Family.values()) {
            RunResult r = TRAINED.get(f).result();
            assertTrue(r.testAccuracy() > 0.85, f + ": test accuracy " + r.testAccuracy() + " (chance 0.5)");
            double untrained = PlanarExperiment.accuracy(new PlanarClassifier(f, experiment.settings().architecture(), 11),
                    experiment.test());
            assertTrue(untrained < 0.8, f + ": the untrained network already scores " + untrained);
        }
    }

    @Test
    void trainedSteps_stayInTheirSets() {
        NonExpansiveStepRegion region = new NonExpansiveStepRegion(0.5, 2);
        double[] alt = TRAINED.get(Family.ALTERNATING).result().steps();
        for (int i = 0; i < alt.length; i += 2) {
            assertTrue(region.contains(alt[i], alt[i + 1]), "pair " + i / 2 + " = (" + alt[i] + ", " + alt[i + 1]
                    + ") outside R (bound " + region.lipschitzBound(alt[i], alt[i + 1]) + ")");
        }
        for (double h : TRAINED.get(Family.CONTRACTIVE).result().steps()) {
            assertTrue(h >= 0 && h <= 2, "contractive step " + h + " outside [0, 2]");
        }
        for (double h : TRAINED.get(Family.EXPANSIVE).result().steps()) {
            assertTrue(h >= 0, "expansive step " + h + " negative");
        }
        for (Family f : Family.values()) {
            assertEquals(0.0, TRAINED.get(f).result().stepViolation(), f.key());
        }
    }

    @Test
    void trainedConstrainedNetworks_areOneLipschitz_andTheExpansiveOneIsNot() {
        for (Family f : new Family[] {Family.ALTERNATING, Family.CONTRACTIVE}) {
            double ratio = TRAINED.get(f).result().lipschitzRatio();
            assertTrue(ratio <= 1 + 1e-5, f + ": empirical Lipschitz ratio " + ratio);
        }
        assertTrue(TRAINED.get(Family.EXPANSIVE).result().lipschitzRatio() > 1.1,
                "expansive: ratio " + TRAINED.get(Family.EXPANSIVE).result().lipschitzRatio());
    }

    @Test
    void finalTimes_followThePapersOrdering() {
        double alternating = TRAINED.get(Family.ALTERNATING).result().finalTime();
        double expansive = TRAINED.get(Family.EXPANSIVE).result().finalTime();
        double contractive = TRAINED.get(Family.CONTRACTIVE).result().finalTime();
        assertTrue(alternating < expansive && expansive < contractive,
                "T: alternating " + alternating + ", expansive " + expansive + ", contractive " + contractive);
    }

    @Test
    void finalTime_isTheSumOfTheReportedSteps() {
        for (Family f : Family.values()) {
            RunResult r = TRAINED.get(f).result();
            double sum = 0;
            for (double h : r.steps()) {
                sum += Math.abs(h);
            }
            assertEquals(sum, r.finalTime(), 1e-9, f.key());
            assertEquals(10, r.steps().length);
        }
    }

    @Test
    void compiledTraining_equalsEagerTraining() {
        Settings s = new Settings(PlanarSet.DISC, 300, 100, 4, 10, 0.5, 2, 2, 128, 1e-2, 0.1, 1.0, 0.15, 0.0, 0.2, 1.0,
                DataType.DOUBLE);
        PlanarExperiment small = new PlanarExperiment(s, 1);
        for (Family f : Family.values()) {
            RunResult compiled = small.run(f, 5, true).result();
            RunResult eager = small.run(f, 5, false).result();
            assertArrayEquals(eager.steps(), compiled.steps(), 1e-9, f.key());
            assertEquals(eager.finalLoss(), compiled.finalLoss(), 1e-9, f.key());
            assertEquals(eager.testAccuracy(), compiled.testAccuracy(), 0.0, f.key());
        }
    }
}
