package io.structflow.layers.blocks;

import io.structflow.constraints.guarantee.Guarantees;
import io.structflow.constraints.linalg.OperatorNorm;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.layers.LipschitzBounded;
import io.structflow.layers.Property;
import io.structflow.layers.Structured;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The reference residual blocks that the dynamical blocks are compared with in [CMOSS] §3.3:
 * <pre>
 *   plain:               y = x + Aᵀ ReLU(Bx + b)
 *   naive constrained:   y = ½ (x + Aᵀ ReLU(Bx + b)),    ‖A‖₂ ≤ 1, ‖B‖₂ ≤ 1
 * </pre>
 * dense ({@code A, B [hidden, n]} on {@code [batch, n]}) or convolutional ({@code A, B
 * [hidden, C, k, k]} on {@code [batch, C, H, W]}, stride 1, "same" padding; {@code Aᵀ} is the
 * transposed convolution with kernel A). The plain block has Lipschitz bound
 * {@code 1 + ‖A‖‖B‖}. The naive constrained block is the average of the identity and a
 * 1-Lipschitz map ({@code ReLU} is 1-Lipschitz), so its bound {@code ½(1 + ‖A‖‖B‖)} is at most 1;
 * the norm bounds are kept by {@code SpectralNormBound} projections after every optimiser step.
 * Cost: two products (two convolutions) and a ReLU; the bound costs two warm-started power
 * iterations.
 */
public final class ResNetBlock extends Module implements LipschitzBounded, Structured, Exportable {
    private final WeightOperator operator;
    private final boolean naive;
    private final long features;
    private final Parameter a;
    private final Parameter b;
    private final Parameter bias;
    private final OperatorNorm normA;
    private final OperatorNorm normB;

    /** Copies the tensors, already checked; the naive block projects A and B onto norm ≤ 1 (the identity inside). */
    private ResNetBlock(WeightOperator operator, boolean naive, Tensor A, Tensor B, Tensor b) {
        this.operator = operator;
        this.naive = naive;
        this.features = A.size(1);
        a = register("A", Parameter.of("A", A));
        this.b = register("B", Parameter.of("B", B));
        bias = register("b", Parameter.of("b", b));
        normA = operator.newNorm();
        normB = operator.newNorm();
        if (naive) {
            a.constrain(operator.normBound(1.0));
            this.b.constrain(operator.normBound(1.0));
            a.projectInPlace();
            this.b.projectInPlace();
        }
    }

    /** A and B with orthonormal rows or columns from the seed, b = 0. */
    private static ResNetBlock random(WeightOperator operator, boolean naive, int features, int hidden, long seed,
                                      DataType type) {
        Checks.atLeast("ResNetBlock", "features", 1, features);
        Checks.atLeast("ResNetBlock", "hidden", 1, hidden);
        Checks.notNull("ResNetBlock", "type", type);
        SplittableRandom rng = new SplittableRandom(seed);
        long[] shape = operator.weightShape(hidden, features);
        return new ResNetBlock(operator, naive, Init.orthogonal(type, rng, shape), Init.orthogonal(type, rng, shape),
                Tensor.zeros(type, hidden));
    }

    /**
     * The dense block with the given weights, copied into the parameters of the same names; the
     * naive block projects A and B onto {@code ‖·‖₂ ≤ 1} (the identity inside).
     *
     * @param naive true for {@code ½(x + AᵀReLU(Bx + b))} with the norm bounds, false for the plain block
     * @param A     {@code [hidden, n]}
     * @param B     {@code [hidden, n]}
     * @param b     {@code [hidden]}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static ResNetBlock denseFromWeights(boolean naive, Tensor A, Tensor B, Tensor b) {
        GivenWeights given = new GivenWeights("ResNetBlock.denseFromWeights");
        given.require("A", A, "hidden", "n");
        given.require("B", B, "hidden", "n");
        given.require("b", b, "hidden");
        return new ResNetBlock(new WeightOperator.Dense(), naive, A, B, b);
    }

    /**
     * The convolutional block on {@code [batch, C, height, width]} images with the given kernels,
     * copied (see {@link #denseFromWeights} for the projections).
     *
     * @param A {@code [hidden, C, k, k]}, k odd
     * @param B {@code [hidden, C, k, k]}
     * @param b {@code [hidden]}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static ResNetBlock convFromWeights(boolean naive, long height, long width, Tensor A, Tensor B, Tensor b) {
        GivenWeights given = new GivenWeights("ResNetBlock.convFromWeights");
        int k = WeightOperator.Conv.checkedKernel(given, "A", A);
        given.require("B", B, "out", "in", "k", "k");
        given.require("b", b, "out");
        return new ResNetBlock(new WeightOperator.Conv(k, height, width), naive, A, B, b);
    }

    /** Plain dense block {@code x + AᵀReLU(Bx + b)}, A and B with orthonormal rows or columns initially. */
    public static ResNetBlock dense(int width, int hidden, long seed, DataType type) {
        return random(new WeightOperator.Dense(), false, width, hidden, seed, type);
    }

    /** Naive constrained dense block {@code ½(x + AᵀReLU(Bx + b))}, {@code ‖A‖₂, ‖B‖₂ ≤ 1}. */
    public static ResNetBlock naiveDense(int width, int hidden, long seed, DataType type) {
        return random(new WeightOperator.Dense(), true, width, hidden, seed, type);
    }

    /** Plain convolutional block on {@code [batch, channels, height, width]} images, {@code k×k} kernels (k odd). */
    public static ResNetBlock conv(int channels, int hiddenChannels, int kernelSize, long height, long width, long seed,
                                   DataType type) {
        return random(new WeightOperator.Conv(kernelSize, height, width), false, channels, hiddenChannels, seed, type);
    }

    /** Naive constrained convolutional block, operator norms ≤ 1 on {@code height × width} images. */
    public static ResNetBlock naiveConv(int channels, int hiddenChannels, int kernelSize, long height, long width,
                                        long seed, DataType type) {
        return random(new WeightOperator.Conv(kernelSize, height, width), true, channels, hiddenChannels, seed, type);
    }

    /** A. */
    public Parameter a() {
        return a;
    }

    /** B. */
    public Parameter b() {
        return b;
    }

    /** b, {@code [hidden]}. */
    public Parameter bias() {
        return bias;
    }

    /** Whether this is the naive constrained (averaged, norm-bounded) block. */
    public boolean naive() {
        return naive;
    }

    /**
     * @param x {@code [batch, n]} or {@code [batch, C, H, W]}; not mutated
     * @return the shape of x
     */
    @Override
    public Tensor forward(Tensor x) {
        operator.checkInput("ResNetBlock.forward", x, features);
        Tensor y = x.add(operator.adjoint(a, operator.affineRelu(b, x, bias)));
        return naive ? y.mul(0.5) : y;
    }

    /** {@code 1 + ‖A‖‖B‖} (plain) or {@code ½(1 + ‖A‖‖B‖)} (naive), each norm a certified bound of the current weight. */
    @Override
    public double lipschitzBound() {
        double product = normA.upperBound(a.value()) * normB.upperBound(b.value());
        return naive ? 0.5 * (1 + product) : 1 + product;
    }

    private static double guaranteedNorm(Parameter w, OperatorNorm norm) {
        return Guarantees.normBound(w, norm.describe(), w.rank() == 2);
    }

    /**
     * {@code LIPSCHITZ_1} for the naive block when the constraints guarantee {@code ‖A‖‖B‖ ≤ 1} and
     * A and B are inside their sets now; nothing for the plain one.
     */
    @Override
    public Set<Property> properties() {
        return naive && a.insideConstraints() && b.insideConstraints() && guaranteedNorm(a, normA) * guaranteedNorm(b, normB) <= 1
                ? Collections.unmodifiableSet(EnumSet.of(Property.LIPSCHITZ_1)) : Collections.emptySet();
    }

    /** {@code x + AᵀReLU(Bx + b)} (halved when naive) as Gemm/Conv, Relu, MatMul/ConvTranspose, Add. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        var shift = x.rank() == 4 ? bias.value().reshape(bias.size(0), 1, 1) : bias.value();
        var z = graph.relu(graph.addConstant(operator.appendApply(graph, b.value(), x), shift));
        var y = graph.add(x, operator.appendAdjoint(graph, a.value(), z));
        return naive ? graph.scale(y, 0.5) : y;
    }
}
