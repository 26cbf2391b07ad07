package io.structflow.constraints.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.constraints.TestMatrices;
import io.structflow.constraints.linalg.ConvOperatorNorm;
import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class SpectralNormClipTest {
    private static final DataType D = DataType.DOUBLE;

    /**
     * W = U diag(3, 0.5, 0.2) Vᵀ with orthogonal U, V built independently: clipping to c = 1 must
     * give U diag(1, 0.5, 0.2) Vᵀ (the Euclidean projection onto the ball), where rescaling would
     * give diag(1, 0.17, 0.07) — up to the final certified rescaling by λ ∈ [1 − 1e-5, 1] that puts
     * the norm provably inside.
     */
    @Test
    void denseMatrix_onlyTheTopSingularValueIsClipped() {
        double[][] u = columns(Init.orthogonal(D, new SplittableRandom(1), 4, 4).toDoubleArray(), 4);
        double[][] v = columns(Init.orthogonal(D, new SplittableRandom(2), 3, 3).toDoubleArray(), 3);
        double[] sigma = {3, 0.5, 0.2};
        double[] clipped = {1, 0.5, 0.2};
        Parameter w = new Parameter("W", Nd4j.create(compose(u, sigma, v), new long[] {4, 3}, 'c'));
        new SpectralNormClip(1.0, new DenseSpectralNorm(), 1e-9, 5).projectInPlace(w);
        double[] target = compose(u, clipped, v);
        double[] got = w.toDoubleArray();
        double dot = 0;
        double squared = 0;
        for (int i = 0; i < got.length; i++) {
            dot += got[i] * target[i];
            squared += target[i] * target[i];
        }
        double lambda = dot / squared;
        assertTrue(lambda <= 1 && lambda >= 1 - 1e-5, "final rescaling factor " + lambda);
        for (int i = 0; i < target.length; i++) {
            target[i] *= lambda;
        }
        assertArrayEquals(target, got, 1e-8);
        assertTrue(TestMatrices.largestSingularValue(got, 4, 3) <= 1, "certified inside");
    }

    @Test
    void badArguments_nameTheArgumentAndTheValue() {
        String bound = assertThrows(IllegalArgumentException.class,
                () -> new SpectralNormClip(-1, new DenseSpectralNorm(), 1e-6, 3)).getMessage();
        assertTrue(bound.contains("SpectralNormClip") && bound.contains("bound") && bound.contains("-1"), bound);
        String tolerance = assertThrows(IllegalArgumentException.class,
                () -> new SpectralNormClip(1, new DenseSpectralNorm(), Double.NaN, 3)).getMessage();
        assertTrue(tolerance.contains("relativeTolerance") && tolerance.contains("NaN"), tolerance);
        String clips = assertThrows(IllegalArgumentException.class,
                () -> new SpectralNormClip(1, new DenseSpectralNorm(), 1e-6, 0)).getMessage();
        assertTrue(clips.contains("maxClips") && clips.contains("0"), clips);
    }

    /**
     * A kernel inside the ball pushed out along its top singular direction, as an optimiser step
     * does: clipping lands inside, moves it less than rescaling (which shrinks every direction) and
     * returns it close to where it was before the push.
     */
    @Test
    void convolution_pushedOutAlongItsTop_landsInsideAndMovesLessThanRescaling() {
        ConvGeometry same = new ConvGeometry(1, 1, 1, 1);
        ConvOperatorNorm estimator = new ConvOperatorNorm(same, 8, 8);
        Tensor k0 = Tensor.randn(D, new SplittableRandom(3), 4, 3, 3, 3);
        Tensor inside = k0.mul(0.9 / estimator.estimate(k0.value()));
        estimator.estimate(inside.value());
        Tensor g = Tensor.constant(estimator.singularValueGradient(inside.value()));
        Tensor k = inside.add(g.mul(0.5 / g.value().norm2Number().doubleValue()));
        Parameter clip = Parameter.of("K", k);
        Parameter rescale = Parameter.of("K", k);
        new SpectralNormClip(1.0, new ConvOperatorNorm(same, 8, 8), 1e-6, 5).projectInPlace(clip);
        SpectralNormBound.convolution(1.0, same, 8, 8).projectInPlace(rescale);
        double before = new ConvOperatorNorm(same, 8, 8).estimate(k.value());
        double after = new ConvOperatorNorm(same, 8, 8).estimate(clip.value());
        assertTrue(before > 1.05, "the test point starts outside: " + before);
        assertTrue(after <= 1 + 1e-5, "norm after clipping " + after);
        double movedClip = clip.value().sub(k.value()).norm2Number().doubleValue();
        double movedRescale = rescale.value().sub(k.value()).norm2Number().doubleValue();
        assertTrue(movedClip < movedRescale, "clip moved " + movedClip + ", rescaling " + movedRescale);
        // clipping undoes the push and keeps the rest of the kernel: it returns near the inside point
        double offClip = clip.value().sub(inside.value()).norm2Number().doubleValue();
        double offRescale = rescale.value().sub(inside.value()).norm2Number().doubleValue();
        assertTrue(offClip < 0.5 * offRescale, "distance to the kernel before the push: clipped " + offClip
                + ", rescaled " + offRescale);
    }

    /** Column j of a row-major n×n matrix. */
    private static double[][] columns(double[] m, int n) {
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[j][i] = m[i * n + j];
            }
        }
        return c;
    }

    /** Σ_k σ_k u_k v_kᵀ, row-major [rows(u), rows(v)]. */
    private static double[] compose(double[][] u, double[] sigma, double[][] v) {
        int m = u[0].length;
        int n = v[0].length;
        double[] out = new double[m * n];
        for (int k = 0; k < sigma.length; k++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    out[i * n + j] += sigma[k] * u[k][i] * v[k][j];
                }
            }
        }
        return out;
    }
}
