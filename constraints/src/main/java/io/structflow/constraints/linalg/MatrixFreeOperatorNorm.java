package io.structflow.constraints.linalg;

import io.structflow.constraints.internal.Messages;
import io.structflow.constraints.internal.SplitMix64;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.function.UnaryOperator;

/**
 * The operator 2-norm {@code ‖𝒜‖₂} of a linear map given only by its action {@code x ↦ 𝒜x} and
 * its adjoint {@code y ↦ 𝒜ᵀy} (a blur, a measurement operator — any map with no weight to hand
 * to an {@link OperatorNorm}), on inputs of a fixed shape:
 * <pre>
 *   v ← 𝒜ᵀ(𝒜v)   (Krylov space of these iterates, {@link Lanczos}),   σ̂ = √θ_max
 * </pre>
 * The same restarted Lanczos iteration as {@link DenseSpectralNorm} and {@link ConvOperatorNorm},
 * warm-started from the last Ritz vector. σ̂ is a lower bound converging to {@code ‖𝒜‖₂}
 * (σ̂² is the Lipschitz constant of {@code ∇½‖𝒜x − y‖²} from below). The adjoint must be exact,
 * {@code ⟨𝒜x, y⟩ = ⟨x, 𝒜ᵀy⟩}, and the map must act on a batch of one sample. Cost per product:
 * one {@code 𝒜} and one {@code 𝒜ᵀ} on one sample in float64, without an autodiff graph.
 *
 * <p>Not thread-safe: the warm-start vector is state.
 */
public final class MatrixFreeOperatorNorm {
    private final UnaryOperator<Tensor> forward;
    private final UnaryOperator<Tensor> adjoint;
    private final long[] sampleShape;
    private final int size;
    private final NormEstimateSettings settings;
    private final SplitMix64 rng;
    private final Lanczos lanczos;
    private double[] v;
    private int products;

    /**
     * @param forward     {@code x ↦ 𝒜x} on float64 inputs of {@code domainShape} with batch 1; must not mutate x
     * @param adjoint     {@code y ↦ 𝒜ᵀy}, the exact adjoint; must not mutate y
     * @param domainShape shape of an input, batch first (the batch size is replaced by 1)
     * @param settings    stopping rule
     */
    public MatrixFreeOperatorNorm(UnaryOperator<Tensor> forward, UnaryOperator<Tensor> adjoint, long[] domainShape,
                                  NormEstimateSettings settings) {
        if (forward == null || adjoint == null || settings == null) {
            throw Messages.badArgument("MatrixFreeOperatorNorm", "forward, adjoint and settings", "non-null",
                    forward == null ? "forward null" : adjoint == null ? "adjoint null" : "settings null");
        }
        if (domainShape == null || domainShape.length < 2) {
            throw Messages.badArgument("MatrixFreeOperatorNorm", "domainShape", "[batch, …] of rank ≥ 2",
                    domainShape == null ? "null" : Shapes.str(domainShape));
        }
        sampleShape = domainShape.clone();
        sampleShape[0] = 1;
        long n = 1;
        for (int i = 1; i < sampleShape.length; i++) {
            if (sampleShape[i] < 1) {
                throw Messages.badArgument("MatrixFreeOperatorNorm", "domainShape", "positive sizes",
                        Shapes.str(domainShape));
            }
            n *= sampleShape[i];
        }
        if (n > Integer.MAX_VALUE) {
            throw Messages.badArgument("MatrixFreeOperatorNorm", "domainShape", "at most 2³¹ − 1 entries per sample",
                    Shapes.str(domainShape));
        }
        this.forward = forward;
        this.adjoint = adjoint;
        this.size = (int) n;
        this.settings = settings;
        this.rng = new SplitMix64(settings.seed());
        this.lanczos = new Lanczos(settings);
    }

    /**
     * The estimated largest singular value σ̂ ≤ {@code ‖𝒜‖₂}, warm-started from the previous call.
     *
     * @throws ArithmeticException      if {@code 𝒜ᵀ𝒜v} holds NaN or ∞
     * @throws IllegalArgumentException if {@code 𝒜ᵀ𝒜v} does not have the input's size
     */
    public double estimate() {
        if (v == null) {
            v = DenseSpectralNorm.randomVector(rng, size);
        }
        Lanczos.Result r = lanczos.largest(this::gramProduct, v);
        products = r.products();
        return Math.sqrt(r.value());
    }

    /** Products with {@code 𝒜ᵀ𝒜} used by the last {@link #estimate} call. */
    public int lastProducts() {
        return products;
    }

    private void gramProduct(double[] x, double[] y) {
        double[] out;
        try (GradMode.Scope s = GradMode.noGrad()) {
            out = adjoint.apply(forward.apply(Tensor.of(DataType.DOUBLE, x, sampleShape))).toDoubleArray();
        }
        if (out.length != size) {
            throw Messages.badArgument("MatrixFreeOperatorNorm", "adjoint(forward(x))",
                    size + " values (the input's size " + Shapes.str(sampleShape) + ")", out.length + " values");
        }
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                throw new ArithmeticException("MatrixFreeOperatorNorm: 𝒜ᵀ𝒜v expected finite values but got " + out[i]
                        + " at index " + i + " (does the operator hold NaN or ∞?)");
            }
        }
        System.arraycopy(out, 0, y, 0, size);
    }
}
