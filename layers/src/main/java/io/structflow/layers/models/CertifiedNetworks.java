package io.structflow.layers.models;

import io.structflow.constraints.project.EulerStepBound;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.layers.blocks.DynamicalBlock;
import io.structflow.layers.blocks.Flatten;
import io.structflow.layers.blocks.NormalisedLinear;
import io.structflow.layers.blocks.PixelUnshuffle;
import io.structflow.layers.blocks.RowNormalisedLinear;
import io.structflow.layers.blocks.ZeroPaddingLift;
import io.structflow.layers.fields.ContractiveGradientField;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.FlowLayer;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The two certifiably robust classifiers of 28×28 greyscale images that {@code certify} trains,
 * of equal depth, every layer 1-Lipschitz, with no average pooling (whose Lipschitz constant ½
 * halves every margin):
 * <pre>
 *   x ↦ head ∘ tail ∘ flatten ∘ stage_{K−1} ∘ lift_{K−1} ∘ unshuffle ∘ … ∘ stage_0 ∘ lift_0 ∘ unshuffle (x)
 *   unshuffle = space-to-depth 2×2 (orthogonal, {@link PixelUnshuffle}),  lift_s = zero-padding of the channels
 *   (an isometry, {@link ZeroPaddingLift}),  tail: {@link DenseTail},  head: {@link Head}
 * </pre>
 * stage s on {@code (14/2^s)²} pixels with {@code channels[s]} channels (at least 4× the previous
 * stage's, 4 for the first: the unshuffle multiplies them by 4) and {@code 2·pairs} residual layers:
 * <ul>
 *   <li>{@link Kind#CPL}: non-expansive layers {@code x − τKᵀσ(Kx + b)}, τ ∈ [0, 2/‖K‖²] ([CMOSS]
 *       (3.5), the convex potential layer of Meunier et al., ICML 2022), 3×3 zero-padded kernels;
 *       its bound is certified at evaluation from the kernels' Gram bounds;</li>
 *   <li>{@link Kind#ORTHOGONAL_SWITCHING}: {@link DynamicalBlock#orthogonalConv}, contractive/expansive
 *       pairs {@code ∓𝒬ᵀσ(𝒬x + b)} with exactly orthogonal circular convolutions 𝒬 (Cayley in the
 *       Fourier domain, 3×3 raw kernels) and steps in the region R of (3.10): 1-Lipschitz by the
 *       pair rule for every parameter value, so the whole network's bound is the head's, ≤ 1.</li>
 * </ul>
 * The architecture's {@link Architecture#boundedLifts()} is ignored (every lift here is an isometry).
 */
public final class CertifiedNetworks {
    private static final int UNSHUFFLE = 2;

    private CertifiedNetworks() {
    }

    /** The linear head on the flattened features. */
    public enum Head {
        /** {@code α·W·}, ‖W‖₂ ≤ 1, |α| ≤ 1 (certified projection, {@link NormalisedLinear}): 1-Lipschitz. */
        SCALED("scaled"),
        /**
         * {@code ŵ_iᵀ· + b_i} with normalised rows ({@link RowNormalisedLinear}): the difference of logits i
         * and j is {@code ‖ŵ_i − ŵ_j‖}-Lipschitz (≤ 2), the pairwise constants a certificate uses.
         */
        ROW_NORMALISED("row_normalised");

        private final String key;

        Head(String key) {
            this.key = key;
        }

        /** The snake_case name. */
        public String key() {
            return key;
        }

        /** Parses a key ({@code --head}). */
        public static Head parse(String text) {
            return Arrays.stream(values()).filter(h -> h.key.equals(text == null ? null : text.trim()
                    .toLowerCase(Locale.ROOT))).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "--head: expected one of " + Arrays.stream(values()).map(Head::key).toList() + " but got '" + text
                            + "'"));
        }
    }

    /**
     * Dense non-expansive layers on the flattened features, the same for both networks:
     * {@code z − τAᵀσ(Az + b)} with A {@code [width, features]} free and τ ∈ [0, 2/‖A‖²] by
     * {@link EulerStepBound} (a certified bound of ‖A‖ at every projection; [CMOSS] (3.5), as the
     * dense layers that follow the convolutions in Meunier et al., ICML 2022). Each is 1-Lipschitz,
     * so the body's bound is unchanged; they give every feature the whole image as receptive field.
     *
     * @param layers number of dense layers, ≥ 0 (0: no tail)
     * @param width  rows of each A, ≥ 1
     */
    public record DenseTail(int layers, int width) {
        /** No dense layers. */
        public static final DenseTail NONE = new DenseTail(0, 1);

        /** Validates the counts; messages name the option. */
        public DenseTail {
            if (layers < 0) {
                throw new IllegalArgumentException("--dense-layers: expected ≥ 0 but got " + layers);
            }
            if (width < 1) {
                throw new IllegalArgumentException("--dense-width: expected ≥ 1 but got " + width);
            }
        }

        /** The entries as snake_case keys, for reports and checkpoint fingerprints. */
        public java.util.Map<String, Object> toMap() {
            return java.util.Map.of("dense_layers", layers, "dense_width", width);
        }
    }

    /** The two networks. */
    public enum Kind {
        /** Non-expansive (CPL) layers (3.5). */
        CPL("cpl", "CPL-style non-expansive (3.5)"),
        /** Switching pairs with orthogonal convolutions, (3.10)–(3.11). */
        ORTHOGONAL_SWITCHING("orthogonal_switching", "switching pairs, orthogonal convs (3.10)");

        private final String key;
        private final String label;

        Kind(String key, String label) {
            this.key = key;
            this.label = label;
        }

        /** The snake_case name. */
        public String key() {
            return key;
        }

        /** A name for tables. */
        public String label() {
            return label;
        }

        /** Parses a comma-separated list of keys or {@code all}; order kept. */
        public static java.util.List<Kind> parseList(String text) {
            if (text != null && text.trim().equalsIgnoreCase("all")) {
                return java.util.List.of(values());
            }
            java.util.List<Kind> out = new java.util.ArrayList<>();
            for (String part : (text == null ? "" : text).split(",")) {
                Kind k = Arrays.stream(values()).filter(v -> v.key.equals(part.trim().toLowerCase(Locale.ROOT)))
                        .findFirst().orElseThrow(() -> new IllegalArgumentException("--networks: expected one of "
                                + Arrays.stream(values()).map(Kind::key).toList() + " or 'all' but got '" + part.trim()
                                + "'"));
                if (out.contains(k)) {
                    throw new IllegalArgumentException("--networks: '" + k.key + "' is listed twice");
                }
                out.add(k);
            }
            return java.util.List.copyOf(out);
        }
    }

    /**
     * Builds one network for images {@code [batch, 1, 28, 28]} in the architecture's type.
     *
     * @param kind    which network
     * @param head    the linear head
     * @param arch    stage widths (1 or 2 stages, on 14×14 and 7×7 pixels), pairs, sub-steps, slope, type, seed
     * @param classes number of classes ≥ 2
     * @return the classifier
     */
    public static Sequential build(Kind kind, Head head, Architecture arch, int classes) {
        return build(kind, head, DenseTail.NONE, arch, classes);
    }

    /**
     * Builds one network for images {@code [batch, 1, 28, 28]} with dense layers before the head.
     *
     * @param kind    which network
     * @param head    the linear head
     * @param tail    the dense layers between the flattened features and the head
     * @param arch    stage widths (1 or 2 stages, on 14×14 and 7×7 pixels), pairs, sub-steps, slope, type, seed
     * @param classes number of classes ≥ 2
     * @return the classifier
     */
    public static Sequential build(Kind kind, Head head, DenseTail tail, Architecture arch, int classes) {
        if (kind == null || head == null || tail == null || arch == null) {
            throw new IllegalArgumentException("CertifiedNetworks.build: kind, head, tail and arch expected non-null but got "
                    + kind + ", " + head + ", " + tail + ", " + arch);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("CertifiedNetworks.build: classes expected ≥ 2 but got " + classes);
        }
        int[] channels = arch.channels();
        if (channels.length > 2) {
            throw new IllegalArgumentException("--channels: expected 1 or 2 stage widths (14×14 and 7×7 pixels) but got "
                    + Arrays.toString(channels));
        }
        SplittableRandom rng = new SplittableRandom(arch.seed());
        Sequential model = new Sequential();
        int in = 1;
        for (int s = 0; s < channels.length; s++) {
            int unshuffled = in * UNSHUFFLE * UNSHUFFLE;
            int c = channels[s];
            if (c < unshuffled) {
                throw new IllegalArgumentException("--channels: stage " + s + " expected at least " + unshuffled
                        + " channels (4× the previous stage's, after the 2×2 unshuffle) but got " + c);
            }
            int side = arch.side(s + 1);
            model.add(new PixelUnshuffle(UNSHUFFLE));
            model.add(new ZeroPaddingLift(unshuffled, c));
            model.add(stage(kind, arch, c, side, rng));
            in = c;
        }
        model.add(new Flatten());
        int features = in * arch.side(channels.length) * arch.side(channels.length);
        for (int d = 0; d < tail.layers(); d++) {
            model.add(denseLayer(features, tail.width(), arch, rng));
        }
        long headSeed = rng.nextLong();
        model.add(head == Head.SCALED
                ? NormalisedLinear.dense(features, classes, NormalisedLinear.Scale.AT_MOST_ONE, headSeed, arch.type())
                : new RowNormalisedLinear(features, classes, headSeed, arch.type()));
        return model;
    }

    private static FlowLayer<ContractiveGradientField> denseLayer(int features, int width, Architecture arch,
                                                                  SplittableRandom rng) {
        ContractiveGradientField field = new ContractiveGradientField(features, width, Activation.leakyRelu(arch.slope()),
                false, arch.type(), rng.split());
        Parameter h = FlowLayer.stepParameter(1.0, arch.type());
        h.constrain(new EulerStepBound(field.weightParameter()));
        h.projectInPlace();
        return new FlowLayer<>(field, new ExplicitEuler(), h, 1);
    }

    private static Module stage(Kind kind, Architecture arch, int channels, int side, SplittableRandom rng) {
        if (kind == Kind.ORTHOGONAL_SWITCHING) {
            return DynamicalBlock.orthogonalConv(channels, arch.pairs(), arch.slope(), arch.substeps(), 3, side, side,
                    rng.nextLong(), arch.type());
        }
        Sequential layers = new Sequential();
        for (int l = 0; l < arch.layersPerStage(); l++) {
            layers.add(RobustNetworks.nonExpansiveLayer(channels, side, arch.slope(), arch.substeps(), arch.type(), rng));
        }
        return layers;
    }
}
