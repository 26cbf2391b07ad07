package io.structflow.layers.blocks;

import io.structflow.constraints.guarantee.Guarantees;
import io.structflow.constraints.linalg.OperatorNorm;
import io.structflow.constraints.project.StepBox;
import io.structflow.core.autodiff.Tensor;
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
public final class NormalisedLinear extends Module implements LipschitzBounded, Structured {
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

    private NormalisedLinear(WeightOperator operator, long in, long out, Scale scale, boolean normBounded,
                             long seed, DataType type) {
        String where = getClass().getSimpleName();
        Checks.atLeast(where, "in", 1, (int) in);
        Checks.atLeast(where, "out", 1, (int) out);
        Checks.notNull(where, "scale", scale);
        this.operator = operator;
        this.in = in;
        this.scale = scale;
        this.normBounded = normBounded;
        this.norm = operator.newNorm();
        SplittableRandom rng = new SplittableRandom(seed);
        weight = register("weight", Parameter.of("weight", Init.orthogonal(type, rng, operator.weightShape(out, in))));
        if (normBounded) {
            weight.constrain(operator.normBound(1.0));
            weight.projectInPlace();
        }
        if (scale == Scale.NONE) {
            alpha = null;
        } else {
            alpha = register("alpha", Parameter.of("alpha", Tensor.ones(type, 1)));
            if (scale == Scale.AT_MOST_ONE) {
                alpha.constrain(new StepBox(-1, 1));
            }
        }
    }

    /**
     * The dense layer {@code αWx} with {@code ‖W‖₂ ≤ 1}; W starts with orthonormal rows or columns.
     *
     * @param in    input width ≥ 1
     * @param out   output width ≥ 1
     * @param scale how α is treated
     */
    public static NormalisedLinear dense(int in, int out, Scale scale, long seed, DataType type) {
        return new NormalisedLinear(new WeightOperator.Dense(), in, out, scale, true, seed, type);
    }

    /** The plain dense lift {@code y = Wx}: no scale, no norm bound. */
    public static NormalisedLinear plainDense(int in, int out, long seed, DataType type) {
        return new NormalisedLinear(new WeightOperator.Dense(), in, out, Scale.NONE, false, seed, type);
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
        return new NormalisedLinear(new WeightOperator.Conv(kernelSize, height, width), inChannels, outChannels,
                scale, true, seed, type);
    }

    /** The plain convolutional lift {@code y = conv2d(x, K)}; {@code normBounded} adds {@code ‖K‖₂ ≤ 1}. */
    public static NormalisedLinear plainConv(int inChannels, int outChannels, int kernelSize, long height, long width,
                                             boolean normBounded, long seed, DataType type) {
        return new NormalisedLinear(new WeightOperator.Conv(kernelSize, height, width), inChannels, outChannels,
                Scale.NONE, normBounded, seed, type);
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
        boolean scaleAtMostOne = alpha == null || Math.max(-Guarantees.entryInterval(alpha)[0],
                Guarantees.entryInterval(alpha)[1]) <= 1;
        return guaranteedNorm() <= 1 && scaleAtMostOne ? Collections.unmodifiableSet(EnumSet.of(Property.LIPSCHITZ_1))
                : Collections.emptySet();
    }
}
