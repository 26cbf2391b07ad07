package io.structflow.layers.models;

import io.structflow.constraints.linalg.ConvOperatorNorm;
import io.structflow.constraints.linalg.NormEstimateSettings;
import io.structflow.constraints.project.EulerStepBound;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.blocks.AveragePoolDownsample;
import io.structflow.layers.blocks.DynamicalBlock;
import io.structflow.layers.blocks.Flatten;
import io.structflow.layers.blocks.NormalisedLinear;
import io.structflow.layers.blocks.ResNetBlock;
import io.structflow.layers.fields.ConvContractiveGradientField;
import io.structflow.layers.fields.GradientFlowField;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds the five convolutional classifiers of [CMOSS] §3.3 for 28×28 greyscale images:
 * <pre>
 *   x ↦ head ∘ flatten ∘ stage_{K−1} ∘ lift_{K−1} ∘ pool ∘ … ∘ pool ∘ stage_0 ∘ lift_0 (x)
 *   lift_s = α_s · conv3×3(·, W_s),  ‖W_s‖₂ ≤ 1   (NormalisedLinear, [CMOSS] §3.3)
 *   pool   = 2×2 average pooling (Lipschitz ½)
 *   head   = α · W ·,  ‖W‖₂ ≤ 1
 * </pre>
 * with {@code 2·pairs} residual layers per stage, all 3×3 convolutions with as many hidden as
 * state channels:
 * <ul>
 *   <li>{@link NetworkKind#PRESCRIBED}: {@link DynamicalBlock#prescribedConv} (3.11), σ = max(x, a·x),
 *       S sub-steps, kernels ‖K‖₂ ≤ 1;</li>
 *   <li>{@link NetworkKind#FLEXIBLE}: {@link DynamicalBlock#flexibleConv} (3.12) with App. C's
 *       constraints;</li>
 *   <li>{@link NetworkKind#NON_EXPANSIVE}: {@code 2·pairs} contractive layers
 *       {@code x − τKᵀσ(Kx + b)} ((3.5)), each S explicit Euler sub-steps with the learnable step
 *       kept in {@code [0, 2/‖K‖²]} by {@link EulerStepBound}, so every layer is 1-Lipschitz;</li>
 *   <li>{@link NetworkKind#NAIVE}: {@link ResNetBlock#naiveConv} {@code ½(x + AᵀReLU(Bx + b))},
 *       started with A = B one delta-orthogonal kernel (see {@code naiveIdentityInit});</li>
 *   <li>{@link NetworkKind#RESNET}: {@link ResNetBlock#conv} {@code x + AᵀReLU(Bx + b)}, with plain
 *       (unnormalised, unscaled) lifts and head.</li>
 * </ul>
 * The constrained networks use {@link NormalisedLinear.Scale#AT_MOST_ONE} lifts and head when
 * {@link Architecture#boundedLifts()} (the whole chain is then bounded and the margin certificate
 * (3.1) is meaningful), {@link NormalisedLinear.Scale#FREE} otherwise. Every other kernel starts
 * orthogonal ({@link Init#orthogonal}, rows of the flattened kernel orthonormal) and is then
 * projected into its norm ball.
 */
public final class RobustNetworks {
    private static final ExplicitEuler EULER = new ExplicitEuler();

    /** Residual kernels start with orthonormal flattened rows ({@link Init#orthogonal}), then are projected. */
    public static final String ORTHOGONAL_INIT = "orthogonal";

    /** The naive blocks start with A = B one delta-orthogonal kernel (see {@code naiveIdentityInit}). */
    public static final String DELTA_ORTHOGONAL_SHARED_INIT = "delta_orthogonal_shared";

    private RobustNetworks() {
    }

    /**
     * A built network and the parts the experiment reads.
     *
     * @param kind              which of the five
     * @param model             the classifier, images {@code [batch, 1, 28, 28]} to logits {@code [batch, 10]}
     * @param orthogonalKernels the convolution kernels the orthogonality regulariser acts on
     *                          (empty for the unconstrained ResNet)
     * @param dynamicalBlocks   the switching blocks, stage by stage (empty unless prescribed or flexible)
     * @param initialisation    how the residual kernels were started ({@link #ORTHOGONAL_INIT} or
     *                          {@link #DELTA_ORTHOGONAL_SHARED_INIT}); part of the checkpoint
     *                          fingerprint, so that weights trained from another start are not resumed
     */
    public record Network(NetworkKind kind, Sequential model, List<Parameter> orthogonalKernels,
                          List<DynamicalBlock> dynamicalBlocks, String initialisation) {
        /** The learned steps (h₁, h₂) of every pair of every stage, in order: {@code [pairs total][2]}. */
        public double[][] learnedSteps() {
            List<double[]> rows = new ArrayList<>();
            for (DynamicalBlock b : dynamicalBlocks) {
                double[] h = b.steps().toDoubleArray();
                for (int i = 0; i < b.pairs(); i++) {
                    rows.add(new double[] {h[2 * i], h[2 * i + 1]});
                }
            }
            return rows.toArray(new double[0][]);
        }
    }

    /**
     * Builds one network.
     *
     * @param kind which network
     * @param arch stage widths, depth, sub-steps, activation slope, lift scaling, type, seed
     * @param classes number of classes ≥ 2
     */
    public static Network build(NetworkKind kind, Architecture arch, int classes) {
        if (kind == null || arch == null) {
            throw new IllegalArgumentException("RobustNetworks.build: kind and arch expected non-null but got "
                    + kind + ", " + arch);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("RobustNetworks.build: classes expected ≥ 2 but got " + classes);
        }
        SplittableRandom rng = new SplittableRandom(arch.seed());
        int[] channels = arch.channels();
        NormalisedLinear.Scale scale = arch.boundedLifts() ? NormalisedLinear.Scale.AT_MOST_ONE
                : NormalisedLinear.Scale.FREE;
        Sequential model = new Sequential();
        List<Parameter> kernels = new ArrayList<>();
        List<DynamicalBlock> blocks = new ArrayList<>();
        int in = 1;
        for (int s = 0; s < channels.length; s++) {
            int side = arch.side(s);
            int c = channels[s];
            if (s > 0) {
                model.add(new AveragePoolDownsample(2));
            }
            model.add(kind == NetworkKind.RESNET
                    ? NormalisedLinear.plainConv(in, c, 3, side, side, false, rng.nextLong(), arch.type())
                    : NormalisedLinear.conv(in, c, 3, side, side, scale, rng.nextLong(), arch.type()));
            switch (kind) {
                case PRESCRIBED, FLEXIBLE -> {
                    DynamicalBlock block = kind == NetworkKind.PRESCRIBED
                            ? DynamicalBlock.prescribedConv(c, arch.pairs(), arch.slope(), arch.substeps(), side, side,
                                    rng.nextLong(), arch.type())
                            : DynamicalBlock.flexibleConv(c, arch.pairs(), arch.slope(), arch.substeps(), side, side,
                                    rng.nextLong(), arch.type());
                    List<GradientFlowField> fields = new ArrayList<>(block.contractiveFields());
                    for (int i = 0; i < block.pairs(); i++) {
                        fields.add(i * 2 + 1, block.expansiveFields().get(i));
                    }
                    for (GradientFlowField f : fields) {
                        Parameter k = f.weightParameter();
                        orthogonalInit(k, rng);
                        kernels.add(k);
                    }
                    model.add(block);
                    blocks.add(block);
                }
                case NON_EXPANSIVE -> {
                    for (int l = 0; l < arch.layersPerStage(); l++) {
                        FlowLayer<ConvContractiveGradientField> layer = nonExpansiveLayer(c, side, arch.slope(),
                                arch.substeps(), arch.type(), rng);
                        kernels.add(layer.field().kernel());
                        model.add(layer);
                    }
                }
                case NAIVE, RESNET -> {
                    for (int l = 0; l < arch.layersPerStage(); l++) {
                        ResNetBlock block = kind == NetworkKind.NAIVE
                                ? ResNetBlock.naiveConv(c, c, 3, side, side, rng.nextLong(), arch.type())
                                : ResNetBlock.conv(c, c, 3, side, side, rng.nextLong(), arch.type());
                        if (kind == NetworkKind.NAIVE) {
                            naiveIdentityInit(block, rng);
                            kernels.add(block.a());
                            kernels.add(block.b());
                        }
                        model.add(block);
                    }
                }
                default -> throw new IllegalStateException("unreachable: " + kind);
            }
            in = c;
        }
        model.add(new Flatten());
        int features = channels[channels.length - 1] * arch.side(channels.length - 1) * arch.side(channels.length - 1);
        model.add(kind == NetworkKind.RESNET
                ? NormalisedLinear.plainDense(features, classes, rng.nextLong(), arch.type())
                : NormalisedLinear.dense(features, classes, scale, rng.nextLong(), arch.type()));
        return new Network(kind, model, List.copyOf(kernels), List.copyOf(blocks),
                kind == NetworkKind.NAIVE ? DELTA_ORTHOGONAL_SHARED_INIT : ORTHOGONAL_INIT);
    }

    /**
     * One non-expansive layer of (3.5), the layer of CPL (Meunier et al., ICML 2022):
     * {@code S} explicit Euler sub-steps of {@code x − τKᵀσ(Kx + b)} with a 3×3 kernel
     * {@code channels → channels} on {@code side × side} images, σ = LeakyReLU(slope), K started
     * orthogonal and kept at {@code ‖K‖₂ ≤ 1} by the estimate (fast; bounds are certified at
     * evaluation) and the learnable step kept in {@code [0, 2/‖K‖²]} by {@link EulerStepBound}.
     */
    static FlowLayer<ConvContractiveGradientField> nonExpansiveLayer(int channels, int side, double slope, int substeps,
                                                                     DataType type, SplittableRandom rng) {
        ConvContractiveGradientField field = new ConvContractiveGradientField(channels, channels, 3, side, side,
                Activation.leakyRelu(slope), type, rng.split());
        field.constrainNorm(1.0, NormEstimateSettings.convolution(), 1e-6);
        orthogonalInit(field.kernel(), rng);
        Parameter h = FlowLayer.stepParameter(1.0, type);
        h.constrain(new EulerStepBound(field.kernel(), new ConvOperatorNorm(ConvGeometry.same(3), side, side), 1e-6));
        h.projectInPlace();
        return new FlowLayer<>(field, EULER, h, substeps);
    }

    /**
     * Starts a naive block {@code ½(x + AᵀReLU(Bx + b))} with {@code A = B = Q} one delta-orthogonal
     * kernel ({@link Init#deltaOrthogonal}: Q applied at every pixel, an orthogonal convolution) and
     * b = 0, so that it starts as {@code ½Qᵀ(u + ReLU(u))}, u = Qx: the identity on the half of the
     * coordinates where u &gt; 0 and a halving elsewhere. The naive block has no full-strength
     * identity path, so its branch must carry the signal: with independent kernels whose flattened
     * rows are orthonormal, projected to norm 1, the branch is about 0.1‖x‖ in size and
     * uncorrelated with x, and every block halves its input, so after the 12 blocks of the default
     * network (plus the pools) almost no signal reaches the head (measurements in
     * {@code docs/experiments/robust.md}, "Training the naive network").
     */
    private static void naiveIdentityInit(ResNetBlock block, SplittableRandom rng) {
        Tensor q = Init.deltaOrthogonal(block.a().dtype(), rng, block.a().shape());
        block.a().updateInPlace(q.value());
        block.b().updateInPlace(q.value());
        block.a().projectInPlace();
        block.b().projectInPlace();
    }

    /** Overwrites a kernel with an orthogonal one (flattened rows orthonormal), then applies its constraints. */
    private static void orthogonalInit(Parameter kernel, SplittableRandom rng) {
        kernel.updateInPlace(Init.orthogonal(kernel.dtype(), rng, kernel.shape()).value());
        kernel.projectInPlace();
    }
}
