package io.structflow.layers.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Jacobians;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.autodiff.Autograd;
import io.structflow.core.nn.Sequential;
import io.structflow.layers.Gradients;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.CertifiedNetworks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class RowNormalisedLinearTest {
    private static final DataType D = DataType.DOUBLE;

    /** A head with random (not normalised) rows and bias, set through its parameters. */
    private static RowNormalisedLinear randomHead(int in, int out, long seed) {
        RowNormalisedLinear head = new RowNormalisedLinear(in, out, seed, D);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        head.weight().updateInPlace(Tensor.uniform(D, rng, -2, 2, out, in).value());
        head.bias().updateInPlace(Tensor.uniform(D, rng, -1, 1, out).value());
        return head;
    }

    private static double[][] rows(Tensor t, int out, int in) {
        double[] f = t.toDoubleArray();
        double[][] m = new double[out][in];
        for (int i = 0; i < out; i++) {
            System.arraycopy(f, i * in, m[i], 0, in);
        }
        return m;
    }

    @Test
    void forwardAndConstants_matchTheirDefinitions() {
        RowNormalisedLinear head = randomHead(5, 4, 2);
        double[][] w = rows(head.weight(), 4, 5);
        double[] b = head.bias().toDoubleArray();
        for (double[] row : w) {
            double n = Math.sqrt(java.util.Arrays.stream(row).map(v -> v * v).sum());
            for (int k = 0; k < row.length; k++) {
                row[k] /= n;
            }
        }
        Tensor x = Tensor.uniform(D, new SplittableRandom(3), -1, 1, 3, 5);
        double[] xs = x.toDoubleArray();
        double[] y = head.forward(x).toDoubleArray();
        double[][] k = head.pairwiseLipschitzBounds();
        double[] kt = head.pairwiseLipschitz().toDoubleArray();
        for (int i = 0; i < 4; i++) {
            for (int s = 0; s < 3; s++) {
                double dot = b[i];
                for (int c = 0; c < 5; c++) {
                    dot += w[i][c] * xs[s * 5 + c];
                }
                assertEquals(dot, y[s * 4 + i], 1e-12);
            }
            for (int j = 0; j < 4; j++) {
                double d = 0;
                for (int c = 0; c < 5; c++) {
                    d += (w[i][c] - w[j][c]) * (w[i][c] - w[j][c]);
                }
                assertEquals(Math.sqrt(d), kt[i * 4 + j], 1e-12);
                assertEquals(i == j ? 0 : Math.sqrt(d) * (1 + RowNormalisedLinear.SLACK), k[i][j], 1e-14);
                assertTrue(k[i][j] >= Math.sqrt(d), "the certified constant is not below the exact one");
            }
        }
    }

    @Test
    void gradients_ofTheMapAndOfTheConstants_matchFiniteDifferences() {
        RowNormalisedLinear head = randomHead(5, 3, 4);
        Tensor x = Tensor.uniform(D, new SplittableRandom(5), -1, 1, 2, 5);
        Tensor probe = Tensor.uniform(D, new SplittableRandom(6), -1, 1, 2, 3);
        assertTrue(Gradients.worstScaledError(head, head::forward, x, probe) <= 1);
        Tensor pairProbe = Tensor.uniform(D, new SplittableRandom(7), -1, 1, 3, 3);
        double[] analytic = Autograd.grad(head.pairwiseLipschitz().mul(pairProbe).sum(), false, head.weight())[0]
                .toDoubleArray();
        org.nd4j.linalg.api.ndarray.INDArray base = head.weight().value().dup();
        double h = 1e-6;
        for (int e = 0; e < analytic.length; e++) {
            double[] f = new double[2];
            for (int side = 0; side < 2; side++) {
                org.nd4j.linalg.api.ndarray.INDArray moved = base.dup();
                moved.putScalar(e, base.getDouble(e) + (side == 0 ? h : -h));
                head.weight().updateInPlace(moved);
                f[side] = head.pairwiseLipschitz().mul(pairProbe).sum().item();
            }
            head.weight().updateInPlace(base);
            double numeric = (f[0] - f[1]) / (2 * h);
            assertEquals(numeric, analytic[e], 1e-6 + 1e-5 * Math.abs(numeric), "∂K/∂W entry " + e);
        }
    }

    @Test
    void pairwiseBounds_ofALinearOrthogonalBody_areTheExactGradientNorms() {
        // f = Ŵ·(αQz) + b with Q orthogonal, α = 1: ∇(f_i − f_j) = Qᵀ(ŵ_i − ŵ_j), of norm ‖ŵ_i − ŵ_j‖
        Sequential model = new Sequential(NormalisedLinear.dense(6, 6, NormalisedLinear.Scale.AT_MOST_ONE, 8, D),
                randomHead(6, 4, 9));
        double[][] k = Lipschitz.pairwiseBounds(model, 4);
        double[][] jac = Jacobians.of(model::forward, Tensor.uniform(D, new SplittableRandom(10), -1, 1, 1, 6))[0];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double exact = gradientDifferenceNorm(jac, i, j);
                assertTrue(k[i][j] >= exact, "K_" + i + j + " = " + k[i][j] + " below the exact " + exact);
                assertEquals(exact, k[i][j], 1e-6 * (1 + exact), "tight for an orthogonal body");
            }
        }
    }

    @Test
    void pairwiseBounds_ofACertifiedNetwork_boundEveryGradientOfALogitDifference() {
        Architecture arch = new Architecture(new int[] {4, 16}, 1, 1, 0.5, true, D, 11);
        Sequential model = CertifiedNetworks.build(CertifiedNetworks.Kind.CPL, CertifiedNetworks.Head.ROW_NORMALISED,
                arch, 10);
        double[][] k = Lipschitz.pairwiseBounds(model, 10);
        double uniform = Math.sqrt(2) * Lipschitz.bound(model);
        double[][][] jac = Jacobians.of(model::forward, Tensor.uniform(D, new SplittableRandom(12), 0, 1, 4, 1, 28, 28));
        double worstRatio = 0;
        for (double[][] sample : jac) {
            for (int i = 0; i < 10; i++) {
                for (int j = 0; j < 10; j++) {
                    if (i != j) {
                        double exact = gradientDifferenceNorm(sample, i, j);
                        assertTrue(k[i][j] >= exact, "K_" + i + j + " = " + k[i][j] + " below " + exact);
                        assertTrue(k[i][j] <= uniform, "never above √2·L");
                        worstRatio = Math.max(worstRatio, exact / k[i][j]);
                    }
                }
            }
        }
        assertTrue(worstRatio > 0.05, "the gradients are of the constants' size, not vanishing: " + worstRatio);
    }

    private static double gradientDifferenceNorm(double[][] jacobian, int i, int j) {
        double s = 0;
        for (int c = 0; c < jacobian[i].length; c++) {
            s += (jacobian[i][c] - jacobian[j][c]) * (jacobian[i][c] - jacobian[j][c]);
        }
        return Math.sqrt(s);
    }

    @Test
    void badInput_throwsNamingTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RowNormalisedLinear(4, 1, 1, D));
        assertTrue(e.getMessage().contains("out"), e.getMessage());
        RowNormalisedLinear head = new RowNormalisedLinear(4, 3, 1, D);
        e = assertThrows(IllegalArgumentException.class, () -> head.forward(Tensor.zeros(D, 2, 5)));
        assertTrue(e.getMessage().contains("x expected shape [batch, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lipschitz.pairwiseBounds(head, 4));
        assertTrue(e.getMessage().contains("classes"), e.getMessage());
    }
}
