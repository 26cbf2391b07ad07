package io.structflow.layers.blocks;

import io.structflow.constraints.linalg.ConvOperatorNorm;
import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.constraints.linalg.OperatorNorm;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.GivenWeights;
import io.structflow.core.nn.InferenceGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The linear map a weight defines in the blocks of this package: a dense matrix
 * {@code W [out, in]} acting on vectors {@code [batch, in]}, or a convolution kernel
 * {@code K [out, in, k, k]} acting with stride 1 and "same" padding on images
 * {@code [batch, in, H, W]} of a fixed size (the size its operator norm is computed for).
 */
sealed interface WeightOperator permits WeightOperator.Dense, WeightOperator.Conv {

    /** {@code Wx}: dense {@code x Wᵀ}, conv {@code conv2d(x, K)}. */
    Tensor apply(Tensor weight, Tensor x);

    /**
     * {@code ReLU(Wx + b)}, b {@code [out]} added to every row (dense) or to every pixel of its
     * channel (conv, where bias and ReLU run inside the convolution).
     */
    Tensor affineRelu(Tensor weight, Tensor x, Tensor bias);

    /** {@code Wᵀy}: dense {@code y W}, conv {@code convTranspose2d(y, K)} back to H×W. */
    Tensor adjoint(Tensor weight, Tensor y);

    /** A fresh estimator of {@code ‖W‖₂} (it holds a warm start: one per weight). */
    OperatorNorm newNorm();

    /** The projection onto {@code ‖W‖₂ ≤ c}. */
    SpectralNormBound normBound(double c);

    /** Throws unless x is {@code [batch, features]} (dense) or {@code [batch, features, H, W]} (conv). */
    void checkInput(String where, Tensor x, long features);

    /** {@link #apply} as graph operators (Gemm without bias, or Conv). */
    InferenceGraph.Value appendApply(InferenceGraph graph, INDArray weight, InferenceGraph.Value x);

    /** {@link #adjoint} as graph operators (MatMul, or ConvTranspose back to H×W). */
    InferenceGraph.Value appendAdjoint(InferenceGraph graph, INDArray weight, InferenceGraph.Value y);

    /** Shape of a weight mapping {@code in} to {@code out} features or channels. */
    long[] weightShape(long out, long in);

    /** Dense matrices. */
    record Dense() implements WeightOperator {
        @Override
        public Tensor apply(Tensor weight, Tensor x) {
            return x.matmul(weight, false, true);
        }

        @Override
        public Tensor affineRelu(Tensor weight, Tensor x, Tensor bias) {
            return apply(weight, x).add(bias).relu();
        }

        @Override
        public Tensor adjoint(Tensor weight, Tensor y) {
            return y.matmul(weight, false, false);
        }

        @Override
        public InferenceGraph.Value appendApply(InferenceGraph graph, INDArray weight, InferenceGraph.Value x) {
            return graph.linear(x, weight, null);
        }

        @Override
        public InferenceGraph.Value appendAdjoint(InferenceGraph graph, INDArray weight, InferenceGraph.Value y) {
            return graph.matmul(y, weight);
        }

        @Override
        public OperatorNorm newNorm() {
            return new DenseSpectralNorm();
        }

        @Override
        public SpectralNormBound normBound(double c) {
            return SpectralNormBound.dense(c);
        }

        @Override
        public void checkInput(String where, Tensor x, long features) {
            Shapes.require(where, "x", x, -1, features);
        }

        @Override
        public long[] weightShape(long out, long in) {
            return new long[] {out, in};
        }
    }

    /**
     * Square {@code k×k} kernels, k odd, stride 1, padding (k−1)/2, on {@code height × width}
     * images.
     */
    record Conv(int kernelSize, long height, long width) implements WeightOperator {
        public Conv {
            if (kernelSize < 1 || kernelSize % 2 == 0) {
                throw new IllegalArgumentException("convolution: kernelSize expected an odd integer ≥ 1 but got "
                        + kernelSize);
            }
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("convolution: image size expected height, width ≥ 1 but got "
                        + height + "×" + width);
            }
        }

        /**
         * Checks a given kernel {@code [out, in, k, k]} with k odd and returns k.
         *
         * @param argument the kernel's name in the caller's signature
         */
        static int checkedKernel(GivenWeights given, String argument, Tensor kernel) {
            given.require(argument, kernel, "out", "in", "k", "k");
            long k = given.size("k");
            if (k % 2 == 0) {
                throw given.bad(argument, "an odd kernel size k (\"same\" padding (k−1)/2)", k);
            }
            return (int) k;
        }

        ConvGeometry geometry() {
            return ConvGeometry.same(kernelSize);
        }

        @Override
        public Tensor apply(Tensor weight, Tensor x) {
            return x.conv2d(weight, geometry());
        }

        @Override
        public Tensor affineRelu(Tensor weight, Tensor x, Tensor bias) {
            return x.conv2dLeakyRelu(weight, bias, 0.0, geometry());
        }

        @Override
        public Tensor adjoint(Tensor weight, Tensor y) {
            return y.convTranspose2d(weight, geometry(), height, width);
        }

        @Override
        public InferenceGraph.Value appendApply(InferenceGraph graph, INDArray weight, InferenceGraph.Value x) {
            return graph.conv(x, weight, null, geometry());
        }

        @Override
        public InferenceGraph.Value appendAdjoint(InferenceGraph graph, INDArray weight, InferenceGraph.Value y) {
            return graph.convTranspose(y, weight, geometry(), height, width);
        }

        @Override
        public OperatorNorm newNorm() {
            return new ConvOperatorNorm(geometry(), height, width);
        }

        @Override
        public SpectralNormBound normBound(double c) {
            return SpectralNormBound.convolution(c, geometry(), height, width);
        }

        @Override
        public void checkInput(String where, Tensor x, long channels) {
            Shapes.require(where, "x", x, -1, channels, height, width);
        }

        @Override
        public long[] weightShape(long out, long in) {
            return new long[] {out, in, kernelSize, kernelSize};
        }
    }
}
