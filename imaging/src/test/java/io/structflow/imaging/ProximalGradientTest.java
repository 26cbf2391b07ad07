package io.structflow.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/** Proximal and projected gradient on deblurring: monotone descent below 2/L, divergence far above. */
class ProximalGradientTest {
    private static final int N = 24;

    private final Tensor clean = TestImages.piecewiseConstant(N);
    private final BlurOperator blur = BlurOperator.motion(7, 0);
    private final Tensor y = ImageIo.addGaussianNoise(blur.apply(clean), 0.01, 42);
    private final DataFidelity f = new DataFidelity(blur, y);
    private final double lipschitz = blur.lipschitzOfGradient(N, N);

    @Test
    void projectedGradient_stepsBelowTwoOverL_objectiveSatisfiesSufficientDecrease() {
        for (double factor : new double[] {1.0, 1.9}) {
            double tau = factor / lipschitz;
            Reconstruction r = new ProjectedGradient(f, Box.unit(), tau).run(y, new IterationSettings(150, 0), clean, 1);
            double[] obj = r.objective();
            assertEquals(150, r.iterations());
            for (int k = 0; k < r.iterations(); k++) {
                double step = r.changes()[k];
                // F(x+) ≤ F(x) − (1/τ − L/2)‖x+ − x‖², which is a strict decrease for τ < 2/L
                double bound = obj[k] - (1 / tau - lipschitz / 2) * step * step;
                assertTrue(obj[k + 1] <= bound + 1e-12 * obj[0],
                        "τ = " + factor + "/L, iteration " + k + ": " + obj[k + 1] + " > " + bound);
            }
            assertTrue(obj[150] < 0.05 * obj[0], "objective fell from " + obj[0] + " to " + obj[150]);
            // least squares without a prior fits the noise in the end (semi-convergence): the PSNR
            // peaks on the way and stays above the blurred image's
            double best = java.util.Arrays.stream(r.psnr()).max().orElseThrow();
            assertTrue(best > r.psnr()[0] + 1.5, "PSNR " + r.psnr()[0] + " → best " + best);
            assertTrue(r.psnr()[150] > r.psnr()[0], "PSNR " + r.psnr()[0] + " → " + r.psnr()[150]);
            assertEquals(0, Box.unit().value(r.x()), "iterates stay in [0, 1]");
        }
    }

    @Test
    void gradientDescent_stepFarAboveTwoOverL_diverges() {
        double tau = 3 / lipschitz;
        Reconstruction r = new ProximalGradient(f, Prox.zero(), tau).run(y, new IterationSettings(60, 0));
        double[] obj = r.objective();
        // the top eigenvector is amplified by |1 − τL| = 2 per step: 60 steps multiply the objective by ~4⁶⁰
        assertTrue(obj[60] > 1e20 * obj[0], "objective went from " + obj[0] + " to " + obj[60]);
        assertTrue(r.changes()[59] > 1e6 * r.changes()[0]);
        // and just below the bound the same iteration converges
        Reconstruction below = new ProximalGradient(f, Prox.zero(), 1.9 / lipschitz).run(y, new IterationSettings(60, 0));
        for (int k = 0; k < 60; k++) {
            assertTrue(below.objective()[k + 1] <= below.objective()[k] * (1 + 1e-12), "iteration " + k);
        }
    }

    @Test
    void proximalGradient_hugeStep_stopsAsDivergedWithLastFiniteIterate() {
        Reconstruction r = new ProximalGradient(f, Prox.zero(), 1e40 / lipschitz).run(y, new IterationSettings(100, 0));
        assertEquals(Reconstruction.StopReason.DIVERGED, r.stopReason());
        assertTrue(r.iterations() < 100);
        assertTrue(Double.isFinite(Norms.norm(r.x())));
    }

    @Test
    void proximalGradient_tolerance_stopsWhenRelativeChangeIsSmall() {
        Reconstruction r = new ProjectedGradient(f, Box.unit(), 1 / lipschitz).run(y, new IterationSettings(5000, 1e-4));
        assertEquals(Reconstruction.StopReason.CONVERGED, r.stopReason());
        int k = r.iterations();
        assertTrue(r.relativeChanges()[k - 1] <= 1e-4);
        for (int i = 0; i < k - 1; i++) {
            assertTrue(r.relativeChanges()[i] > 1e-4);
        }
        assertEquals(r.changes()[k - 1] / Norms.norm(r.x()), r.relativeChanges()[k - 1], 1e-15);
        assertEquals(0, r.psnr().length);
    }

    @Test
    void tvRegularisedDeblurring_improvesOnTheBlurredImage() {
        double tau = 1 / lipschitz;
        Reconstruction r = new ProximalGradient(f, TotalVariation.prox(0.005, 30), tau)
                .run(y, new IterationSettings(100, 0), clean, 1);
        assertTrue(r.psnr()[100] > r.psnr()[0] + 5, "PSNR " + r.psnr()[0] + " → " + r.psnr()[100]);
    }

    @Test
    void badInput_messagesNameTheArgument() {
        IllegalArgumentException tau = assertThrows(IllegalArgumentException.class,
                () -> new ProximalGradient(f, Prox.zero(), -1));
        assertTrue(tau.getMessage().contains("tau"), tau.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> new ProximalGradient(f, Prox.zero(), 1).run(y, new IterationSettings(1, 0), Tensor.zeros(y.dtype(), 1, 1, 3, 3), 1));
        assertTrue(shape.getMessage().contains("reference"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new IterationSettings(0, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> new Box(1, 0));
        assertEquals(2 / 4.0, ProximalGradient.stepBound(4), 1e-15);
    }
}
