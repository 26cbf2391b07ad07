package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import io.structflow.layers.LipschitzBounded;

/**
 * The projection {@code P = Lᵀ : ℝ^{C×H×W} → ℝ^{1×H×W}} back to one channel: the adjoint of the
 * zero-padding channel lift L ({@link io.structflow.layers.blocks.ZeroPaddingLift}, [CMOSS] §1.1),
 * <pre>
 *   P(z) = z₁   (the first channel),       P L = I,   ‖P‖₂ = 1,
 * </pre>
 * used as the last layer of the plug-and-play denoiser {@code Γ = P ∘ N_θ ∘ L} ([M-slides],
 * "Denoising Performance"). Because {@code P = Lᵀ} and L is an isometry, {@code P ∘ N ∘ L} is
 * α-averaged whenever N is: {@code N = (1 − α)I + αR} gives {@code PNL = (1 − α)I + α·PRL} with
 * {@code PRL} non-expansive. No parameters; cost: one slice.
 */
public final class ChannelProjection extends Module implements LipschitzBounded, Exportable {
    private final int channels;

    /** @param channels the lifted channel count C ≥ 1 */
    public ChannelProjection(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("ChannelProjection: channels expected ≥ 1 but got " + channels);
        }
        this.channels = channels;
    }

    /**
     * @param z {@code [batch, C, H, W]}; not mutated
     * @return {@code [batch, 1, H, W]}, the first channel
     */
    @Override
    public Tensor forward(Tensor z) {
        if (z == null || z.rank() != 4 || z.size(1) != channels) {
            throw new IllegalArgumentException("ChannelProjection.forward: z expected shape [batch, " + channels
                    + ", H, W] but got " + (z == null ? "null" : java.util.Arrays.toString(z.shape())));
        }
        return channels == 1 ? z : z.slice(1, 0, 1);
    }

    /** 1: P is a coordinate projection. */
    @Override
    public double lipschitzBound() {
        return 1;
    }

    /** ONNX Slice of the first channel (the identity for one channel). */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value z) {
        return channels == 1 ? z : graph.slice(z, 1, 0, 1);
    }
}
