package io.structflow.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Lambda;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * PnP deblurring with an averaged denoiser built from two contractive convolutional gradient
 * steps {@code x − hKᵀReLU(Kx + b)}, {@code h = 1.8/‖K‖²} ([CMOSS] (3.5)).
 */
class PlugAndPlayTest {
    private static final DataType D = DataType.DOUBLE;
    private static final int N = 16;

    /** One contractive step with a random [4, 1, 3, 3] kernel, h = 1.8/‖K‖² (averaged since h &lt; 2/‖K‖²). */
    private static Denoiser contractiveStep(long seed) {
        return TestImages.contractiveStep(seed, 4, N, 0.3, 0.05)::apply;
    }

    private static Denoiser network() {
        Denoiser first = contractiveStep(1);
        Denoiser second = contractiveStep(3);
        return x -> second.denoise(first.denoise(x));
    }

    @Test
    void denoiser_contractiveSteps_areNonExpansive() {
        Denoiser d = network();
        SplittableRandom rng = new SplittableRandom(9);
        for (int trial = 0; trial < 10; trial++) {
            Tensor u = Tensor.randn(D, rng, 1, 1, N, N);
            Tensor v = u.add(Tensor.randn(D, rng, 1, 1, N, N).mul(0.1));
            double ratio = Norms.distance(d.denoise(u), d.denoise(v)) / Norms.distance(u, v);
            assertTrue(ratio <= 1 + 1e-12, "Lipschitz ratio " + ratio);
        }
    }

    @Test
    void plugAndPlay_averagedDenoiser_changesDecayMonotonicallyTo1e6() {
        Tensor clean = TestImages.piecewiseConstant(N);
        BlurOperator blur = BlurOperator.gaussian(0.5, 1);
        Tensor y = ImageIo.addGaussianNoise(blur.apply(clean), 0.01, 5);
        DataFidelity f = new DataFidelity(blur, y);
        double tau = 1.8 / blur.lipschitzOfGradient(N, N);
        Reconstruction r = new PlugAndPlay(f, network(), tau).run(y, new IterationSettings(2000, 1e-6), clean, 1);
        assertEquals(Reconstruction.StopReason.CONVERGED, r.stopReason(), "after " + r.iterations() + " iterations");
        double[] c = r.changes();
        for (int k = 1; k < c.length; k++) {
            assertTrue(c[k] <= c[k - 1] * (1 + 1e-10), "‖x_{k+1} − x_k‖ rose at " + k + ": " + c[k - 1] + " → " + c[k]);
        }
        assertTrue(r.relativeChanges()[c.length - 1] <= 1e-6);
        assertEquals(r.iterations() + 1, r.psnr().length);
        // the limit is a fixed point of x ↦ D(x − τ∇f(x))
        Tensor x = r.x();
        Tensor again = network().denoise(x.sub(f.gradient(x).mul(tau)));
        assertTrue(Norms.distance(again, x) <= 1e-5 * Norms.norm(x));
    }

    @Test
    void denoiserOfModule_runsForwardWithoutGraph() {
        Denoiser d = Denoiser.of(new Lambda("half", x -> x.mul(0.5)));
        Tensor x = Tensor.variable(Tensor.ones(D, 1, 1, 2, 2).value());
        Tensor out = d.denoise(x);
        assertEquals(0.5, out.toDoubleArray()[3], 0);
        assertTrue(!out.requiresGrad());
    }

    @Test
    void plugAndPlay_denoiserChangingShape_isRejected() {
        BlurOperator blur = BlurOperator.gaussian(0.5, 1);
        Tensor y = TestImages.piecewiseConstant(8);
        PlugAndPlay pnp = new PlugAndPlay(new DataFidelity(blur, y), x -> x.slice(2, 0, 4), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pnp.run(y, new IterationSettings(3, 0)));
        assertTrue(e.getMessage().contains("[1, 1, 8, 8]") && e.getMessage().contains("[1, 1, 4, 8]"), e.getMessage());
    }
}
