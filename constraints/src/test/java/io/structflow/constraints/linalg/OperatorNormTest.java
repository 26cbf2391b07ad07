package io.structflow.constraints.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.TestMatrices;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class OperatorNormTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void dense_constructedSingularValues_matchWithin1e4Relative() {
        Tensor w = TestMatrices.withSingularValues(1, 7, 5, 3.0, 2.4, 1.0, 0.5, 0.1);
        double s = new DenseSpectralNorm().estimate(w.value());
        assertEquals(3.0, s, 3.0 * 1e-4);
        assertTrue(s <= 3.0 * (1 + 1e-12), "power iteration is a lower bound: " + s);
    }

    @Test
    void certifiedAtMost_agreesWithTheUpperBound_whenAnEarlyIterateLiesWithinTheSlackOfTheTarget() {
        // The first Gram iterate's bound u₀ is loose; a target in (u₀, u₀(1 + slack)) used to stop the
        // iteration at u₀ and answer u₀(1 + slack) > target, although the tight bound is below it.
        Tensor w = Tensor.randn(D, new SplittableRandom(4), 9, 6);
        java.util.List<GramIteration.Matrix> family = java.util.List.of(
                new GramIteration.Matrix(9, 6, w.toDoubleArray(), null));
        double first = GramIteration.largestSingularValue(family, 1e-6, Double.MAX_VALUE) / (1 + GramIteration.SLACK);
        double target = first * (1 + GramIteration.SLACK / 2);
        DenseSpectralNorm norm = new DenseSpectralNorm();
        assertTrue(norm.upperBound(w.value()) < target, "the tight bound is below the target");
        assertTrue(norm.certifiedAtMost(w.value(), target));
    }

    /**
     * The early-stopping bound: at most the target exactly when the check certifies it, and
     * otherwise the full bound itself, for dense and convolutional operators, on targets below,
     * near and above the norm.
     */
    @Test
    void upperBoundWithTarget_isTheFullBound_unlessItCertifiesTheTarget() {
        SplittableRandom r = new SplittableRandom(11);
        Tensor w = Tensor.randn(D, r, 9, 6);
        Tensor k = Tensor.randn(D, r, 4, 3, 3, 3);
        OperatorNorm[] norms = {new DenseSpectralNorm(), new ConvOperatorNorm(ConvGeometry.same(3), 5, 5)};
        Tensor[] weights = {w, k};
        for (int i = 0; i < 2; i++) {
            double full = norms[i].upperBound(weights[i].value());
            for (double f : new double[] {0.5, 0.99, 0.999999, 1.0, 1.000001, 1.01, 2}) {
                double target = f * full;
                double u = norms[i].upperBound(weights[i].value(), target);
                assertEquals(u <= target, norms[i].certifiedAtMost(weights[i].value(), target), "target " + f + "·U");
                if (u > target) {
                    assertEquals(full, u, 0, "not certified at " + f + "·U: the full bound");
                } else {
                    assertTrue(f >= 1, "certified below the full bound at " + f + "·U: " + u);
                }
            }
            assertTrue(norms[i].upperBound(weights[i].value(), 2 * full) <= 2 * full);
        }
    }

    @Test
    void dense_randomMatrix_matchesJacobi() {
        Tensor w = Tensor.randn(D, new SplittableRandom(2), 9, 6);
        double exact = TestMatrices.largestSingularValue(w.toDoubleArray(), 9, 6);
        double s = new DenseSpectralNorm().estimate(w.value());
        assertEquals(exact, s, exact * 1e-4);
    }

    @Test
    void dense_warmStart_convergesInFewIterations() {
        DenseSpectralNorm norm = new DenseSpectralNorm(new NormEstimateSettings(2000, 4, 1e-10, 0));
        Tensor w = Tensor.randn(D, new SplittableRandom(3), 80, 80);
        norm.estimate(w.value());
        int cold = norm.lastProducts();
        Tensor perturbed = w.add(Tensor.randn(D, new SplittableRandom(4), 80, 80).mul(1e-7));
        norm.estimate(perturbed.value());
        assertTrue(norm.lastProducts() < cold / 2, "warm " + norm.lastProducts() + " vs cold " + cold);
    }

    /** The explicit matrix of x ↦ conv2d(x, K) on [1, C, H, W], one column per unit basis image. */
    private static double[] convMatrix(Tensor k, ConvGeometry g, int c, int h, int w, int[] rowsOut) {
        int n = c * h * w;
        double[] cols = null;
        int m = 0;
        for (int j = 0; j < n; j++) {
            double[] e = new double[n];
            e[j] = 1;
            double[] y = Tensor.of(D, e, 1, c, h, w).conv2d(k, g).toDoubleArray();
            if (cols == null) {
                m = y.length;
                cols = new double[m * n];
            }
            for (int i = 0; i < m; i++) {
                cols[i * n + j] = y[i];
            }
        }
        rowsOut[0] = m;
        return cols;
    }

    @Test
    void conv_padding1_matchesExplicitMatrix() {
        Tensor k = Tensor.randn(D, new SplittableRandom(5), 2, 2, 3, 3);
        ConvGeometry g = new ConvGeometry(1, 1, 1, 1);
        int[] m = new int[1];
        double[] matrix = convMatrix(k, g, 2, 6, 6, m);
        double exact = TestMatrices.largestSingularValue(matrix, m[0], 72);
        ConvOperatorNorm norm = new ConvOperatorNorm(g, 6, 6);
        double s = norm.estimate(k.value());
        assertEquals(exact, s, exact * 1e-4);
    }

    @Test
    void conv_stride2_matchesExplicitMatrix() {
        Tensor k = Tensor.randn(D, new SplittableRandom(6), 3, 2, 3, 3);
        ConvGeometry g = new ConvGeometry(2, 2, 1, 1);
        int[] m = new int[1];
        double[] matrix = convMatrix(k, g, 2, 6, 6, m);
        double exact = TestMatrices.largestSingularValue(matrix, m[0], 72);
        double s = new ConvOperatorNorm(g, 6, 6).estimate(k.value());
        assertEquals(exact, s, exact * 1e-4);
    }

    @Test
    void denseUpperBound_constructedSingularValues_isAboveAndWithin1e5() {
        for (double[] s : new double[][] {{3.0, 2.4, 1.0, 0.5, 0.1}, {1, 1, 1, 1, 1}, {2, 2, 0.3, 0, 0}}) {
            Tensor w = TestMatrices.withSingularValues(11, 7, 5, s);
            double u = new DenseSpectralNorm().upperBound(w.value());
            assertTrue(u >= s[0] * (1 + 1e-12) - 1e-300 || u >= s[0], "a certified bound is ≥ σ₁: " + u + " < " + s[0]);
            assertTrue(u <= s[0] * (1 + 1e-5), "tight to 1e-5: " + u + " vs " + s[0]);
        }
    }

    @Test
    void denseCertifiedAtMost_answersBothWays() {
        Tensor w = TestMatrices.withSingularValues(12, 6, 6, 1.0, 0.9, 0.5, 0.5, 0.1, 0.1);
        DenseSpectralNorm norm = new DenseSpectralNorm();
        assertTrue(norm.certifiedAtMost(w.value(), 1.001));
        assertTrue(!norm.certifiedAtMost(w.value(), 0.999), "σ₁ = 1 is not ≤ 0.999");
        assertTrue(!norm.certifiedAtMost(w.value(), 1.0), "σ₁ = 1 cannot be certified ≤ 1 with slack");
    }

    @Test
    void convUpperBound_randomKernels_boundTheExplicitOperator() {
        for (int seed = 20; seed < 26; seed++) {
            int stride = seed % 2 == 0 ? 1 : 2;
            Tensor k = Tensor.randn(D, new SplittableRandom(seed), 3, 2, 3, 3);
            ConvGeometry g = new ConvGeometry(stride, stride, 1, 1);
            int[] m = new int[1];
            double[] matrix = convMatrix(k, g, 2, 6, 5, m);
            double exact = TestMatrices.largestSingularValue(matrix, m[0], 60);
            double u = new ConvOperatorNorm(g, 6, 5).upperBound(k.value());
            assertTrue(u >= exact, "seed " + seed + ": bound " + u + " below the exact norm " + exact);
            assertTrue(u <= 1.25 * exact, "seed " + seed + ": bound " + u + " far above " + exact);
        }
    }

    @Test
    void convUpperBound_largeImage_isTightToThreePercent() {
        Tensor k = Tensor.randn(D, new SplittableRandom(30), 2, 2, 3, 3);
        ConvGeometry g = new ConvGeometry(1, 1, 1, 1);
        int[] m = new int[1];
        double[] matrix = convMatrix(k, g, 2, 14, 14, m);
        double exact = TestMatrices.largestSingularValue(matrix, m[0], 2 * 14 * 14);
        double u = new ConvOperatorNorm(g, 14, 14).upperBound(k.value());
        assertTrue(u >= exact && u <= 1.03 * exact, "bound " + u + " vs exact " + exact);
    }

    @Test
    void denseTopSingularValues_constructedValuesWithARepeatedOne_matchAndStayBelow() {
        double[] s = {3.0, 2.4, 2.4, 1.0, 0.5, 0.1, 0.0};
        Tensor w = TestMatrices.withSingularValues(13, 9, 7, s);
        DenseSpectralNorm norm = new DenseSpectralNorm();
        double[] top = norm.topSingularValues(w.value(), 5);
        assertEquals(5, top.length);
        for (int i = 0; i < top.length; i++) {
            assertEquals(s[i], top[i], 1e-9 * s[0], "σ" + (i + 1));
            assertTrue(top[i] <= s[i] * (1 + 1e-12) + 1e-12, "a Ritz value is a lower bound: σ" + (i + 1) + " " + top[i]);
        }
        assertArrayEquals(top, norm.topSingularValues(w.value(), 5), "cold-started from a seed: deterministic");
    }

    @Test
    void denseTopSingularValues_clusteredLargeSpectrum_convergeThroughRestarts() {
        double[] s = new double[60];
        for (int i = 0; i < s.length; i++) {
            s[i] = i < 4 ? new double[] {1.0, 0.99, 0.99, 0.98}[i] : 0.95 * Math.pow(0.97, i);
        }
        Tensor w = TestMatrices.withSingularValues(15, 80, 60, s);
        double[] top = new DenseSpectralNorm().topSingularValues(w.value(), 6);
        for (int i = 0; i < top.length; i++) {
            assertEquals(s[i], top[i], 1e-8, "σ" + (i + 1));
        }
    }

    @Test
    void denseTopSingularValues_allOfAWideMatrix_endInZeros() {
        Tensor w = TestMatrices.withSingularValues(14, 3, 5, 2.0, 1.0, 0.5);
        double[] all = new DenseSpectralNorm().topSingularValues(w.value(), 5);
        assertArrayEquals(new double[] {2.0, 1.0, 0.5, 0.0, 0.0}, all, 1e-7);
    }

    /** Padding 1 with stride 1 (tight settings) and 2 (the convolution defaults), k of 72 values. */
    @Test
    void convTopSingularValues_strides1And2_matchExplicitMatrixAndStayBelow() {
        NormEstimateSettings[] settings = {NormEstimateSettings.defaults(), NormEstimateSettings.convolution()};
        double[] tolerance = {1e-7, 1e-4};
        for (int stride = 1; stride <= 2; stride++) {
            Tensor k = Tensor.randn(D, new SplittableRandom(6 + stride), 1 + stride, 2, 3, 3);
            ConvGeometry g = new ConvGeometry(stride, stride, 1, 1);
            int[] m = new int[1];
            double[] exact = TestMatrices.singularValues(convMatrix(k, g, 2, 6, 6, m), m[0], 72);
            double[] top = new ConvOperatorNorm(g, 6, 6, settings[stride - 1]).topSingularValues(k.value(), 6);
            for (int i = 0; i < top.length; i++) {
                String what = "stride " + stride + ", σ" + (i + 1);
                assertEquals(exact[i], top[i], tolerance[stride - 1] * exact[0], what);
                assertTrue(top[i] <= exact[i] + 1e-10 * exact[0], "a Ritz value is a lower bound: " + what);
            }
        }
    }

    @Test
    void topSingularValues_kOutOfRange_throwsNamingK() {
        Tensor w = Tensor.randn(D, new SplittableRandom(9), 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DenseSpectralNorm().topSingularValues(w.value(), 4));
        assertEquals("DenseSpectralNorm.topSingularValues: k expected 1 ≤ k ≤ 3 (the operator's input dimension) "
                + "but got 4", e.getMessage());
        Tensor kernel = Tensor.randn(D, new SplittableRandom(10), 1, 1, 3, 3);
        assertThrows(IllegalArgumentException.class,
                () -> new ConvOperatorNorm(new ConvGeometry(1, 1, 1, 1), 2, 2).topSingularValues(kernel.value(), 0));
    }

    @Test
    void validate_wrongShapes_throwNamingTheParameter() {
        Parameter vector = new Parameter("b", Tensor.zeros(D, 4).value());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DenseSpectralNorm().validate("test", vector));
        assertTrue(e.getMessage().contains("b") && e.getMessage().contains("[4]"), e.getMessage());
        Parameter big = new Parameter("K", Tensor.zeros(D, 2, 2, 9, 9).value());
        assertThrows(IllegalArgumentException.class,
                () -> new ConvOperatorNorm(new ConvGeometry(1, 1, 0, 0), 6, 6).validate("test", big));
        assertThrows(IllegalArgumentException.class, () -> new NormEstimateSettings(0, 20, 1e-6, 0));
        assertThrows(IllegalArgumentException.class, () -> new NormEstimateSettings(100, 1, 1e-6, 0));
    }
    /**
     * Runs estimate, refresh, estimate on {@code later} perturbations of {@code w} and returns
     * the estimates, bit for bit.
     */
    private static double[] continueOn(OperatorNorm norm, Tensor w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] out = new double[6];
        for (int i = 0; i < out.length; i += 2) {
            Tensor next = w.add(Tensor.randn(D, rng, w.shape()).mul(1e-3));
            out[i] = norm.estimate(next.value());
            norm.refreshWarmStart();
            out[i + 1] = norm.estimate(next.value());
        }
        return out;
    }

    @Test
    void state_loadedIntoAFreshEstimator_continuesBitForBit() {
        Tensor w = Tensor.randn(D, new SplittableRandom(5), 12, 9);
        Tensor k = Tensor.randn(D, new SplittableRandom(6), 3, 2, 3, 3);
        java.util.List<java.util.function.Supplier<OperatorNorm>> makers = java.util.List.of(
                () -> new DenseSpectralNorm(new NormEstimateSettings(3, 4, 1e-10, 7)),
                () -> new ConvOperatorNorm(ConvGeometry.same(3), 5, 5, new NormEstimateSettings(3, 4, 1e-10, 7)));
        Tensor[] weights = {w, k};
        for (int m = 0; m < 2; m++) {
            OperatorNorm running = makers.get(m).get();
            continueOn(running, weights[m], 1);
            java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> saved = running.state();
            double[] expected = continueOn(running, weights[m], 2);

            OperatorNorm restored = makers.get(m).get();
            restored.loadState(saved);
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(continueOn(restored, weights[m], 2)),
                    running.describe() + ": few products per estimate, so the warm start matters");
            OperatorNorm cold = makers.get(m).get();
            assertTrue(!java.util.Arrays.equals(expected, continueOn(cold, weights[m], 2)),
                    running.describe() + ": without the state the estimates differ (the test is sensitive)");
        }
    }

    @Test
    void loadState_badSlots_areRefusedNamingTheSlotAndKeepTheState() {
        DenseSpectralNorm norm = new DenseSpectralNorm();
        norm.estimate(Tensor.randn(D, new SplittableRandom(5), 4, 3).value());
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> before = norm.state();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> norm.loadState(java.util.Map.of()));
        assertEquals("DenseSpectralNorm.loadState: slot random_position expected an int64 array [1] but got none",
                missing.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> norm.loadState(java.util.Map.of("v", org.nd4j.linalg.factory.Nd4j.zeros(3))));
        assertTrue(unknown.getMessage().contains("\"v\""), unknown.getMessage());
        assertEquals(before, norm.state());
    }
}
