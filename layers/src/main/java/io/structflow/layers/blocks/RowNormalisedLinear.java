package io.structflow.layers.blocks;

import io.structflow.constraints.linalg.OperatorNorm;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.layers.PairwiseLipschitzBounded;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A linear classifier head with normalised rows (last-layer normalisation, Singla, Singla &amp;
 * Feizi, "Improved deterministic ℓ2 robustness on CIFAR-10 and CIFAR-100", ICLR 2022):
 * <pre>
 *   f_i(z) = ŵ_iᵀ z + b_i,     ŵ_i = w_i / ‖w_i‖₂
 * </pre>
 * (the normalisation is part of the map, so the gradient reaches W through it). The difference
 * {@code f_i − f_j = (ŵ_i − ŵ_j)ᵀ z + b_i − b_j} is linear, so its Lipschitz constant is exactly
 * {@code ‖ŵ_i − ŵ_j‖₂ ≤ 2}: these are the layer's pairwise constants
 * ({@link PairwiseLipschitzBounded}), computed in float64 with a relative slack {@value #SLACK}
 * for the rounding of the normalisation and the norms. The whole map's bound is {@code ‖Ŵ‖₂}
 * (between 1 and √n for n rows; Gram iteration, certified). Rows of W must be non-zero (they start
 * orthonormal and a zero row has no direction).
 */
public final class RowNormalisedLinear extends Module implements PairwiseLipschitzBounded, Exportable {
    /** Relative floating-point slack on the certified constants. */
    public static final double SLACK = 1e-9;

    private final Parameter weight;
    private final Parameter bias;
    private final OperatorNorm norm = new WeightOperator.Dense().newNorm();

    /**
     * W {@code [out, in]} with orthonormal rows or columns from the seed, b = 0.
     *
     * @param in  input width ≥ 1
     * @param out number of outputs ≥ 2
     */
    public RowNormalisedLinear(int in, int out, long seed, DataType type) {
        Checks.atLeast("RowNormalisedLinear", "in", 1, in);
        Checks.atLeast("RowNormalisedLinear", "out", 2, out);
        Checks.notNull("RowNormalisedLinear", "type", type);
        this.weight = register("weight", Parameter.of("weight",
                Init.orthogonal(type, new SplittableRandom(seed), out, in)));
        this.bias = register("bias", Parameter.of("bias", Tensor.zeros(type, out)));
    }

    /** W, {@code [out, in]} (its rows normalised in the map). */
    public Parameter weight() {
        return weight;
    }

    /** b, {@code [out]}. */
    public Parameter bias() {
        return bias;
    }

    /**
     * @param x {@code [batch, in]}; not mutated
     * @return {@code [batch, out]}
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.rank() != 2 || x.size(1) != weight.size(1)) {
            throw Checks.bad("RowNormalisedLinear.forward", "x", "shape [batch, " + weight.size(1) + "]",
                    x == null ? "null" : java.util.Arrays.toString(x.shape()));
        }
        return x.matmul(normalisedRows(weight), false, true).add(bias);
    }

    /** {@code ŵ_i = w_i/‖w_i‖}, differentiable. */
    private static Tensor normalisedRows(Tensor w) {
        return w.div(w.mul(w).sum(true, 1).sqrt());
    }

    /** {@code ‖ŵ_i − ŵ_j‖} as {@code [n, n]}; the identity added under the root keeps its gradient finite on the diagonal. */
    private static Tensor pairwiseDistances(Tensor w) {
        Tensor rows = normalisedRows(w);
        long n = rows.size(0);
        long d = rows.size(1);
        Tensor diff = rows.reshape(n, 1, d).sub(rows.reshape(1, n, d));
        Tensor eye = identity(n, w.dtype());
        return diff.mul(diff).sum(false, 2).add(eye).sqrt().sub(eye);
    }

    private static Tensor identity(long n, DataType type) {
        double[] e = new double[(int) (n * n)];
        for (int i = 0; i < n; i++) {
            e[(int) (i * n + i)] = 1;
        }
        return Tensor.of(type, e, n, n);
    }

    private Tensor weight64() {
        return Tensor.constant(weight.value().castTo(DataType.DOUBLE));
    }

    /** {@code ‖ŵ_i − ŵ_j‖₂·(1 + SLACK)}, from W in float64; the diagonal exactly 0. */
    @Override
    public double[][] pairwiseLipschitzBounds() {
        double[] k;
        try (GradMode.Scope s = GradMode.noGrad()) {
            k = pairwiseDistances(weight64()).toDoubleArray();
        }
        int n = (int) weight.size(0);
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = i == j ? 0 : k[i * n + j] * (1 + SLACK);
            }
        }
        return out;
    }

    /** {@code ‖ŵ_i − ŵ_j‖₂} as {@code [n, n]}, differentiable in W. */
    @Override
    public Tensor pairwiseLipschitz() {
        return pairwiseDistances(weight);
    }

    /** A certified bound of {@code ‖Ŵ‖₂} (Ŵ from W in float64), with the same slack. */
    @Override
    public double lipschitzBound() {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return norm.upperBound(normalisedRows(weight64()).value()) * (1 + SLACK);
        }
    }

    /** One Gemm with the normalised rows. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return graph.linear(x, normalisedRows(weight).value(), bias.value());
        }
    }
}
