package io.structflow.layers.blocks;

import io.structflow.constraints.guarantee.Guarantees;
import io.structflow.constraints.linalg.OperatorNorm;
import io.structflow.constraints.project.StepBox;
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
 * The normalised linear lifting/projection layer of [CMOSS] §3.3 (between the stages of the
 * convolutional network, and the linear head):
 * <pre>
 *   y = α · W x,     ‖W‖₂ ≤ 1 (projection {@code W ↦ W / max(1, ‖W‖₂)}),   α a learnable scalar
 * </pre>
 * dense ({@code W [out, in]} on {@code [batch, in]}) or convolutional ({@code K [out, in, k, k]},
 * stride 1, "same" padding, on {@code [batch, in, H, W]}, with ‖K‖₂ the operator norm of the
 * padded convolution on H×W images). Its Lipschitz constant is {@code |α|·‖W‖₂}; with a free α it
 * is not bounded by 1, and a whole-network certificate (3.1) is then lost (α grows during
 * training, see REPRODUCTION-NOTES) — {@link Scale#AT_MOST_ONE} keeps {@code |α| ≤ 1} by
 * projection so that the layer is 1-Lipschitz. {@link Scale#NONE} with no norm bound is the plain
 * linear (or convolutional) lift {@code y = Wx}. Cost: one matrix product (one convolution) plus
 * a scaling; the bound costs a warm-started power iteration.
 */
public final class NormalisedLinear extends Module implements LipschitzBounded, Structured, Exportable {
    /** How the output is scaled. */
    public enum Scale {
        /** No scale: {@code y = Wx}. */
        NONE,
        /** A learnable, unconstrained scalar α (initially 1). */
        FREE,
        /** A learnable scalar α kept in {@code [−1, 1]} by projection (initially 1): the layer is 1-Lipschitz. */
        AT_MOST_ONE
    }

    private final WeightOperator operator;
    private final Parameter weight;
    private final Parameter alpha;
    private final Scale scale;
    private final boolean normBounded;
    private final OperatorNorm norm;
    private final long in;

    /** Copies the tensors, already checked; projects them onto their constraints (the identity inside). */
    private NormalisedLinear(WeightOperator operator, Tensor weight, Scale scale, Tensor alpha, boolean normBounded) {
        this.operator = operator;
        this.in = weight.size(1);
        this.scale = scale;
        this.normBounded = normBounded;
        this.norm = operator.newNorm();
        this.weight = register("weight", Parameter.of("weight", weight));
        if (normBounded) {
            this.weight.constrain(operator.normBound(1.0));
            this.weight.projectInPlace();
        }
        if (scale == Scale.NONE) {
            this.alpha = null;
        } else {
            this.alpha = register("alpha", Parameter.of("alpha", alpha));
            if (scale == Scale.AT_MOST_ONE) {
                this.alpha.constrain(new StepBox(-1, 1));
                this.alpha.projectInPlace();
            }
        }
    }

    /** W (or K) with orthonormal rows or columns from the seed, α = 1. */
    private static NormalisedLinear random(WeightOperator operator, long in, long out, Scale scale, boolean normBounded,
                                           long seed, DataType type) {
        Checks.atLeast("NormalisedLinear", "in", 1, (int) in);
        Checks.atLeast("NormalisedLinear", "out", 1, (int) out);
        Checks.notNull("NormalisedLinear", "scale", scale);
        Tensor weight = Init.orthogonal(type, new SplittableRandom(seed), operator.weightShape(out, in));
        return new NormalisedLinear(operator, weight, scale, scale == Scale.NONE ? null : Tensor.ones(type, 1),
                normBounded);
    }

    /**
     * The dense layer with the given weights, copied into the parameters of the same names; with
     * {@code normBounded} W is projected onto {@code ‖W‖₂ ≤ 1}, with {@link Scale#AT_MOST_ONE} α onto
     * {@code [−1, 1]} (both the identity inside).
     *
     * @param scale       how α is treated
     * @param normBounded whether {@code ‖W‖₂ ≤ 1} is enforced
     * @param weight      W, {@code [out, in]}
     * @param alpha       α as {@code [1]}; null exactly for {@link Scale#NONE}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static NormalisedLinear denseFromWeights(Scale scale, boolean normBounded, Tensor weight, Tensor alpha) {
        GivenWeights given = new GivenWeights("NormalisedLinear.denseFromWeights");
        given.require("weight", weight, "out", "in");
        return new NormalisedLinear(new WeightOperator.Dense(), weight, scale, checkedAlpha(given, scale, alpha),
                normBounded);
    }

    /**
     * The convolutional layer on {@code height × width} images with the given kernel, copied (see
     * {@link #denseFromWeights} for the projections).
     *
     * @param weight K, {@code [out, in, k, k]}, k odd
     * @param alpha  α as {@code [1]}; null exactly for {@link Scale#NONE}
     * @throws IllegalArgumentException naming the argument whose shape or element type is wrong
     */
    public static NormalisedLinear convFromWeights(long height, long width, Scale scale, boolean normBounded,
                                                   Tensor weight, Tensor alpha) {
        GivenWeights given = new GivenWeights("NormalisedLinear.convFromWeights");
        int k = WeightOperator.Conv.checkedKernel(given, "weight", weight);
        return new NormalisedLinear(new WeightOperator.Conv(k, height, width), weight, scale,
                checkedAlpha(given, scale, alpha), normBounded);
    }

    private static Tensor checkedAlpha(GivenWeights given, Scale scale, Tensor alpha) {
        if (scale == null) {
            throw given.bad("scale", "a Scale", "null");
        }
        if (scale == Scale.NONE) {
            if (alpha != null) {
                throw given.bad("alpha", "null with Scale.NONE", java.util.Arrays.toString(alpha.shape()));
            }
            return null;
        }
        return given.require("alpha", alpha, "1");
    }

    /**
     * The dense layer {@code αWx} with {@code ‖W‖₂ ≤ 1}; W starts with orthonormal rows or columns.
     *
     * @param in    input width ≥ 1
     * @param out   output width ≥ 1
     * @param scale how α is treated
     */
    public static NormalisedLinear dense(int in, int out, Scale scale, long seed, DataType type) {
        return random(new WeightOperator.Dense(), in, out, scale, true, seed, type);
    }

    /** The plain dense lift {@code y = Wx}: no scale, no norm bound. */
    public static NormalisedLinear plainDense(int in, int out, long seed, DataType type) {
        return random(new WeightOperator.Dense(), in, out, Scale.NONE, false, seed, type);
    }

    /**
     * The convolutional layer {@code α·conv2d(x, K)} with {@code ‖K‖₂ ≤ 1} on {@code height × width}
     * images (a channel lift with a 1×1 or 3×3 kernel).
     *
     * @param inChannels  input channels ≥ 1
     * @param outChannels output channels ≥ 1
     * @param kernelSize  odd kernel size (1 or 3 in [CMOSS] §3.3)
     * @param height      image height the layer acts on
     * @param width       image width
     */
    public static NormalisedLinear conv(int inChannels, int outChannels, int kernelSize, long height, long width,
                                        Scale scale, long seed, DataType type) {
        return random(new WeightOperator.Conv(kernelSize, height, width), inChannels, outChannels, scale, true, seed,
                type);
    }

    /** The plain convolutional lift {@code y = conv2d(x, K)}; {@code normBounded} adds {@code ‖K‖₂ ≤ 1}. */
    public static NormalisedLinear plainConv(int inChannels, int outChannels, int kernelSize, long height, long width,
                                             boolean normBounded, long seed, DataType type) {
        return random(new WeightOperator.Conv(kernelSize, height, width), inChannels, outChannels, Scale.NONE,
                normBounded, seed, type);
    }

    /** W or K. */
    public Parameter weight() {
        return weight;
    }

    /** α, shape {@code [1]}, or null for {@link Scale#NONE}. */
    public Parameter alpha() {
        return alpha;
    }

    /** The scale mode. */
    public Scale scale() {
        return scale;
    }

    /** Whether {@code ‖W‖₂ ≤ 1} is enforced. */
    public boolean normBounded() {
        return normBounded;
    }

    /**
     * @param x {@code [batch, in]} or {@code [batch, in, H, W]}; not mutated
     * @return {@code [batch, out]} or {@code [batch, out, H, W]}
     */
    @Override
    public Tensor forward(Tensor x) {
        operator.checkInput("NormalisedLinear.forward", x, in);
        Tensor y = operator.apply(weight, x);
        return alpha == null ? y : y.mul(alpha);
    }

    /** {@code |α|·U}, U a certified bound of the current ‖W‖₂ ({@link OperatorNorm#upperBound}). */
    @Override
    public double lipschitzBound() {
        double a = alpha == null ? 1.0 : Math.abs(alpha.value().getDouble(0));
        return a * norm.upperBound(weight.value());
    }

    private double guaranteedNorm() {
        return Guarantees.normBound(weight, norm.describe(), weight.rank() == 2);
    }

    /**
     * {@code LIPSCHITZ_1} when the constraints guarantee {@code ‖W‖₂ ≤ 1} (certified) and α is absent
     * or guaranteed in [−1, 1], and the parameters are inside their constraint sets now.
     */
    @Override
    public Set<Property> properties() {
        if (!weight.insideConstraints() || alpha != null && !alpha.insideConstraints()) {
            return Collections.emptySet();
        }
        double[] scaleInterval = alpha == null ? new double[] {1, 1} : Guarantees.entryInterval(alpha);
        boolean scaleAtMostOne = Math.max(-scaleInterval[0], scaleInterval[1]) <= 1;
        return guaranteedNorm() <= 1 && scaleAtMostOne ? Collections.unmodifiableSet(EnumSet.of(Property.LIPSCHITZ_1))
                : Collections.emptySet();
    }

    /** {@code W x} (Gemm or Conv), then Mul by α when scaled. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        InferenceGraph.Value y = operator.appendApply(graph, weight.effective().value(), x);
        return alpha == null ? y : graph.mulConstant(y, alpha.value());
    }
}
