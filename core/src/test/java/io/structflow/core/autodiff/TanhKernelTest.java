package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * tanh kernels against the definition evaluated in double precision ({@link Math#tanh}), element
 * by element, on random inputs spanning 10⁻⁶ to 10 in magnitude: contiguous float32 (oneDNN), float64
 * (libnd4j), strided float32 views (copied), the backward from the result, Tensor.tanh's first and
 * second derivatives, and a replayed kernel after its inputs' data changed.
 */
class TanhKernelTest {
    private static final int N = 6000;

    @ParameterizedTest
    @CsvSource({"FLOAT, true", "DOUBLE, false"})
    void contiguous_forwardAndBackwardMatchTheDefinition(DataType type, boolean relative) {
        SplittableRandom rng = new SplittableRandom(3);
        INDArray z = values(rng, type, true);
        INDArray g = values(rng, type, false);
        INDArray y = Nd4j.createUninitialized(type, z.shape(), 'c');
        INDArray dz = Nd4j.createUninitialized(type, z.shape(), 'c');
        TanhKernel.forward().run(new INDArray[] {z}, new INDArray[] {y});
        TanhKernel.backward().run(new INDArray[] {z, g}, new INDArray[] {dz});
        // float32 runs on oneDNN, correct to 2ε relative; float64 on libnd4j, correct to 4ε absolute
        // only (near 0 its relative error grows as ε/|z|: 3e-12 at z = 6e-6)
        assertClose(type, z, g, y, dz, relative ? 2 : 4, relative, 4);
    }

    @Test
    void stridedFloatViews_areCopiedAndMatchTheDefinition() {
        SplittableRandom rng = new SplittableRandom(5);
        INDArray zWide = values(rng, DataType.FLOAT, true).reshape(N / 20, 20);
        INDArray gWide = values(rng, DataType.FLOAT, false).reshape(N / 20, 20);
        INDArray z = zWide.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 10));
        INDArray g = gWide.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 10));
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, z.shape(), 'c');
        INDArray dz = Nd4j.createUninitialized(DataType.FLOAT, z.shape(), 'c');
        TanhKernel.forward().run(new INDArray[] {z}, new INDArray[] {y});
        TanhKernel.backward().run(new INDArray[] {z, g}, new INDArray[] {dz});
        assertClose(DataType.FLOAT, z.dup('c'), g.dup('c'), y, dz, 2, true, 4);
        INDArray fromOutput = Nd4j.createUninitialized(DataType.FLOAT, z.shape(), 'c');
        TanhKernel.backwardFromOutput().run(new INDArray[] {y, g}, new INDArray[] {fromOutput});
        assertClose(DataType.FLOAT, z.dup('c'), g.dup('c'), y, fromOutput, 2, true, 4);
    }

    @Test
    void backwardFromOutput_matchesTheDefinitionAndRejectsFloat64() {
        INDArray[] zgy = float32Inputs(new SplittableRandom(4));
        INDArray z = zgy[0];
        INDArray g = zgy[1];
        INDArray y = zgy[2];
        INDArray dz = Nd4j.createUninitialized(DataType.FLOAT, z.shape(), 'c');
        TanhKernel.forward().run(new INDArray[] {z}, new INDArray[] {y});
        TanhKernel.backwardFromOutput().run(new INDArray[] {y, g}, new INDArray[] {dz});
        assertClose(DataType.FLOAT, z, g, y, dz, 2, true, 4);
        INDArray d = z.castTo(DataType.DOUBLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TanhKernel.backwardFromOutput().run(new INDArray[] {d, d}, new INDArray[] {d.ulike()}));
        assertEquals("tanh (BACKWARD_FROM_OUTPUT): out expected a contiguous FLOAT array but got DOUBLE with strides "
                + "[6, 3, 1]", e.getMessage());
    }

    /** Tensor.tanh's first and second derivatives in float32 (its backward is one kernel) against (1 − t²) and −2t(1 − t²). */
    @Test
    void tensorTanh_firstAndSecondDerivatives_matchTheDefinition() {
        SplittableRandom rng = new SplittableRandom(6);
        Tensor x = Tensor.variable(values(rng, DataType.FLOAT, true));
        Tensor first = Autograd.grad(x.tanh().sum(), true, x)[0];
        Tensor second = Autograd.grad(first.sum(), false, x)[0];
        double[] xs = x.toDoubleArray();
        double[] d1 = first.toDoubleArray();
        double[] d2 = second.toDoubleArray();
        double eps = Math.ulp(1f);
        for (int i = 0; i < N; i++) {
            double t = Math.tanh(xs[i]);
            double s = 1 - t * t;
            assertEquals(s, d1[i], 4 * eps, "(1 − t²) at " + xs[i]);
            assertEquals(-2 * t * s, d2[i], 8 * eps * (Math.abs(t) * s + Math.abs(t)), "−2t(1 − t²) at " + xs[i]);
        }
    }

    @Test
    void replayedKernel_readsItsInputsAgainAndFollowsNewArrays() {
        SplittableRandom rng = new SplittableRandom(9);
        INDArray[] zgy = float32Inputs(rng);
        INDArray z = zgy[0];
        INDArray g = zgy[1];
        INDArray y = zgy[2];
        INDArray dz = Nd4j.createUninitialized(DataType.FLOAT, z.shape(), 'c');
        TanhKernel forward = TanhKernel.forward();
        TanhKernel backward = TanhKernel.backward();
        for (int round = 0; round < 3; round++) {
            forward.run(new INDArray[] {z}, new INDArray[] {y});
            backward.run(new INDArray[] {z, g}, new INDArray[] {dz});
            assertClose(DataType.FLOAT, z, g, y, dz, 2, true, 4);
            z.assign(values(rng, DataType.FLOAT, true));      // same arrays, new data (a replay)
        }
        INDArray z2 = values(rng, DataType.FLOAT, true);        // new arrays of the same length
        INDArray y2 = Nd4j.createUninitialized(DataType.FLOAT, z2.shape(), 'c');
        INDArray dz2 = Nd4j.createUninitialized(DataType.FLOAT, z2.shape(), 'c');
        forward.run(new INDArray[] {z2}, new INDArray[] {y2});
        backward.run(new INDArray[] {z2, g}, new INDArray[] {dz2});
        assertClose(DataType.FLOAT, z2, g, y2, dz2, 2, true, 4);
    }

    /** Random float32 z and g and an uninitialised array for y, all [N/6, 2, 3]. */
    private static INDArray[] float32Inputs(SplittableRandom rng) {
        INDArray z = values(rng, DataType.FLOAT, true);
        return new INDArray[] {z, values(rng, DataType.FLOAT, false), Nd4j.createUninitialized(DataType.FLOAT, z.shape(), 'c')};
    }

    /** N values of random sign, magnitudes log-uniform in [1e-6, 10] (z) or Gaussian (g), shape [N/6, 2, 3]. */
    private static INDArray values(SplittableRandom rng, DataType type, boolean spread) {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            v[i] = spread ? Math.copySign(Math.pow(10, rng.nextDouble(-6, 1)), rng.nextDouble() - 0.5) : rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {N / 6, 2, 3}, 'c').castTo(type);
    }

    /**
     * y = tanh z and dz = g(1 − tanh² z) against the exact values computed in double from the
     * inputs as stored, errors in units of the type's machine epsilon ε: |y − tanh z| ≤ tol·ε·|tanh z|
     * ({@code relative}) or ≤ tol·ε, and |dz − g(1 − tanh² z)| ≤ tol·ε·(|dz| + |g|) (the rounding of
     * 1 − tanh² near 1 is absolute).
     */
    private static void assertClose(DataType type, INDArray z, INDArray g, INDArray y, INDArray dz,
                                    double forwardTolerance, boolean relative, double backwardTolerance) {
        double eps = type == DataType.FLOAT ? Math.ulp(1f) : Math.ulp(1.0);
        double[] zs = z.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] gs = g.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] ys = y.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] ds = dz.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < zs.length; i++) {
            double t = Math.tanh(zs[i]);
            double d = gs[i] * (1 - t * t);
            int at = i;
            assertTrue(Math.abs(ys[i] - t) <= forwardTolerance * eps * (relative ? Math.abs(t) : 1),
                    () -> "tanh(" + zs[at] + ") = " + ys[at] + ", exact " + Math.tanh(zs[at]));
            assertTrue(Math.abs(ds[i] - d) <= backwardTolerance * eps * (Math.abs(d) + Math.abs(gs[i])),
                    () -> "g(1 − tanh²) at z = " + zs[at] + ", g = " + gs[at] + ": " + ds[at]);
        }
    }
}
