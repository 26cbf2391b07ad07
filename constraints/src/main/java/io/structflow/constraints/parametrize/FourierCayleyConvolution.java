package io.structflow.constraints.parametrize;

import io.structflow.constraints.guarantee.OrthogonalOperator;
import io.structflow.core.autodiff.LinearSolve;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parametrization;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exactly orthogonal circular convolution {@code C → C} on {@code H × W} images from an
 * unconstrained {@code k × k} kernel, by the Cayley transform in the Fourier domain (Trockman
 * &amp; Kolter, "Orthogonalizing convolutional layers with the Cayley transform", ICLR 2021, §3):
 * <pre>
 *   K̂(ω) = Σ_{a,b} W[:, :, a, b] e^{−2πi(ω₁(a − ⌊k/2⌋)/H + ω₂(b − ⌊k/2⌋)/W)}   (C × C, per frequency ω)
 *   S(ω) = K̂(ω) − K̂(ω)ᴴ,   Q̂(ω) = (I + S(ω))⁻¹ (I − S(ω))
 * </pre>
 * S(ω) is skew-Hermitian, so I + S(ω) is invertible and Q̂(ω) unitary; {@code Q̂(−ω) = conj Q̂(ω)}
 * because W is real, so the operator 𝒬 these blocks define ({@link FourierConvolution}) is a real
 * circular convolution (with a full-size kernel) and orthogonal: {@code 𝒬ᵀ𝒬 = I}. The result is the
 * real-embedded blocks {@code [H·W, 2C, 2C]} that {@link FourierConvolution#apply} multiplies with;
 * complex arithmetic is done in that embedding ({@code [[Re, −Im], [Im, Re]]}, which keeps
 * products, inverses and the conjugate transpose as the transpose), and the solve is the
 * differentiable {@link LinearSolve}, so gradients reach W. Cost: one batched
 * {@code 2C × 2C} solve over the H·W frequencies forward and one backward, once per evaluation
 * of the weight. It reaches the orthogonal convolutions whose blocks have no eigenvalue −1.
 */
public final class FourierCayleyConvolution implements Parametrization {
    private final FourierConvolution operator;
    private final int kernelSize;
    private final Tensor placement;
    private final Tensor identity;

    /**
     * @param channels   C ≥ 1 (input and output channels)
     * @param kernelSize k ≥ 1 of the raw kernel {@code [C, C, k, k]}
     * @param height     H ≥ 1
     * @param width      W ≥ 1
     * @param type       element type of the raw kernel and the images
     */
    public FourierCayleyConvolution(int channels, int kernelSize, int height, int width, DataType type) {
        if (kernelSize < 1) {
            throw new IllegalArgumentException("FourierCayleyConvolution: kernelSize expected ≥ 1 but got " + kernelSize);
        }
        this.operator = new FourierConvolution(channels, height, width, type);
        this.kernelSize = kernelSize;
        int n = height * width;
        double[] p = new double[kernelSize * kernelSize * n];
        for (int a = 0; a < kernelSize; a++) {
            for (int b = 0; b < kernelSize; b++) {
                int s1 = Math.floorMod(a - kernelSize / 2, height);
                int s2 = Math.floorMod(b - kernelSize / 2, width);
                p[(a * kernelSize + b) * n + s1 * width + s2] += 1;
            }
        }
        this.placement = Tensor.constant(Nd4j.create(p, new long[] {(long) kernelSize * kernelSize, n}, 'c').castTo(type));
        int m = 2 * channels;
        double[] eye = new double[n * m * m];
        for (int f = 0; f < n; f++) {
            for (int i = 0; i < m; i++) {
                eye[(f * m + i) * m + i] = 1;
            }
        }
        this.identity = Tensor.constant(Nd4j.create(eye, new long[] {n, m, m}, 'c').castTo(type));
    }

    /** The operator the result is applied with. */
    public FourierConvolution operator() {
        return operator;
    }

    /** Shape of the raw kernel, {@code [C, C, k, k]}. */
    public long[] rawShape() {
        int c = operator.channels();
        return new long[] {c, c, kernelSize, kernelSize};
    }

    /**
     * @param raw the unconstrained kernel {@code [C, C, k, k]}, not mutated
     * @return the unitary blocks {@code [H·W, 2C, 2C]}, real-embedded
     */
    @Override
    public Tensor apply(Tensor raw) {
        io.structflow.core.autodiff.Shapes.require("FourierCayleyConvolution.apply", "raw", raw, rawShape());
        int c = operator.channels();
        Tensor full = raw.reshape((long) c * c, (long) kernelSize * kernelSize).matmul(placement)
                .reshape(c, c, operator.height(), operator.width());
        Tensor k = operator.blocksOf(full);
        Tensor s = k.sub(k.transpose());
        return LinearSolve.solve(identity.add(s), identity.sub(s));
    }

    /** {@link OrthogonalOperator} of {@link #describeOperator()}, for every raw kernel. */
    @Override
    public List<Guarantee> guarantees() {
        return List.of(new OrthogonalOperator(describeOperator()));
    }

    /** The operator's name in guarantees: the circular convolution on H×W, given by its Fourier blocks. */
    public String describeOperator() {
        return "circular convolution " + operator.channels() + "→" + operator.channels() + " on " + operator.height()
                + "×" + operator.width() + " (Fourier blocks)";
    }

    @Override
    public String describe() {
        return "𝒬ᵀ𝒬 = I via Q̂(ω) = (I + S)⁻¹(I − S), S = K̂(ω) − K̂(ω)ᴴ per frequency on " + operator.height() + "×"
                + operator.width();
    }
}
