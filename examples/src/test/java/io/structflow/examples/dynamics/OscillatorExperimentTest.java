package io.structflow.examples.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class OscillatorExperimentTest {
    private static final double H = 0.1;
    private static final int STEPS = 300;
    private static final List<OscillatorExperiment.MethodResult> RESULTS =
            OscillatorExperiment.run(new OscillatorExperiment.Config(H, STEPS, 1.0, 0.5, DataType.DOUBLE));

    private static OscillatorExperiment.MethodResult method(String key) {
        return RESULTS.stream().filter(m -> m.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void explicitEuler_energyGrowsByOnePlusHSquaredEveryStep() {
        OscillatorExperiment.MethodResult euler = method("explicit_euler");
        double h0 = euler.energy()[0];
        assertEquals(0.625, h0, 1e-15);
        for (int k = 0; k <= STEPS; k++) {
            double expected = h0 * Math.pow(1 + H * H, k);
            assertEquals(expected, euler.energy()[k], 1e-12 * expected, "step " + k);
        }
        assertTrue(euler.finalEnergy() > 15 * h0, "final energy " + euler.finalEnergy());
        assertEquals(euler.finalEnergy() - h0, euler.maxEnergyError(), 1e-12);
    }

    @Test
    void symplecticEuler_keepsModifiedEnergyAndStaysBounded() {
        OscillatorExperiment.MethodResult se = method("symplectic_euler");
        double h0 = se.energy()[0];
        double modified0 = h0 - 0.5 * H * se.q()[0] * se.p()[0];
        double firstThird = 0;
        double lastThird = 0;
        for (int k = 0; k <= STEPS; k++) {
            double modified = se.energy()[k] - 0.5 * H * se.q()[k] * se.p()[k];
            assertEquals(modified0, modified, 1e-13, "H − (h/2)qp at step " + k);
            double e = Math.abs(se.energy()[k] - h0);
            if (k <= STEPS / 3) {
                firstThird = Math.max(firstThird, e);
            } else if (k >= 2 * STEPS / 3) {
                lastThird = Math.max(lastThird, e);
            }
        }
        assertTrue(se.maxEnergyError() <= 1.06 * H * h0, "max |H − H₀| = " + se.maxEnergyError());
        assertTrue(se.maxEnergyError() > 1e-3, "symplectic Euler is not energy-conserving: " + se.maxEnergyError());
        assertTrue(lastThird <= 1.1 * firstThird, "drift: " + firstThird + " then " + lastThird);
    }

    @Test
    void implicitMidpoint_conservesEnergyToRoundOff() {
        OscillatorExperiment.MethodResult mid = method("implicit_midpoint");
        assertTrue(mid.maxEnergyError() <= 1e-10, "max |H − H₀| = " + mid.maxEnergyError());
        assertEquals(mid.energy()[0], mid.finalEnergy(), 1e-10);
        double q = mid.q()[STEPS];
        double p = mid.p()[STEPS];
        double angle = 2 * STEPS * Math.atan(H / 2);
        assertEquals(Math.cos(angle) * 1.0 + Math.sin(angle) * 0.5, q, 1e-10, "midpoint is the Cayley rotation");
        assertEquals(-Math.sin(angle) * 1.0 + Math.cos(angle) * 0.5, p, 1e-10);
    }

    @Test
    void config_rejectsBadStep() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OscillatorExperiment.Config(-0.1, 10, 1, 0, DataType.DOUBLE));
        assertTrue(e.getMessage().startsWith("--h: expected"), e.getMessage());
    }
}
