package io.structflow.core.nn;

import io.structflow.core.autodiff.ElementwiseMap;
import io.structflow.core.autodiff.Kernel;
import io.structflow.core.autodiff.LeakyReluKernel;
import io.structflow.core.autodiff.TanhKernel;
import io.structflow.core.autodiff.Tensor;

/**
 * A scalar activation σ applied elementwise, with what structure-preserving layers need from it:
 * its antiderivative Γ (so that {@code Aᵀσ(Ax+b) = ∇ 𝟏ᵀΓ(Ax+b)} is a gradient field, [CMOSS] (3.3))
 * and the range {@code [minSlope, maxSlope]} of σ', which fixes the Lipschitz constants of the
 * contractive and expansive steps ([CMOSS] (3.5), (3.7), (3.10)).
 */
public sealed interface Activation extends ElementwiseMap, java.io.Serializable permits Activation.LeakyRelu, Activation.Tanh {

    /** Γ(z) with Γ' = σ and Γ(0) = 0, differentiable. */
    Tensor antiderivative(Tensor z);

    /** Appends σ applied to {@code z} to an inference graph. */
    InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value z);

    /** Infimum of σ' over ℝ. */
    double minSlope();

    /** Supremum of σ' over ℝ. */
    double maxSlope();

    /** ReLU, max(z, 0). */
    static Activation relu() {
        return new LeakyRelu(0.0);
    }

    /** Leaky ReLU with slope a on the negative half-line; a = 0.5 is the {@code max(x, x/2)} of [CMOSS] §3.3. */
    static Activation leakyRelu(double slope) {
        return new LeakyRelu(slope);
    }

    /** Hyperbolic tangent. */
    static Activation tanh() {
        return new Tanh();
    }

    /** Leaky ReLU: z for z &gt; 0, a·z otherwise; Γ(z) = ½·z·σ(z). */
    record LeakyRelu(double slope) implements Activation {
        public LeakyRelu {
            if (!Double.isFinite(slope)) {
                throw new IllegalArgumentException("LeakyRelu: slope expected finite but got " + slope);
            }
        }

        @Override
        public Tensor apply(Tensor z) {
            return z.leakyRelu(slope);
        }

        @Override
        public Tensor antiderivative(Tensor z) {
            return z.mul(z.leakyRelu(slope)).mul(0.5);
        }

        /** ONNX Relu for slope 0, LeakyRelu otherwise. */
        @Override
        public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value z) {
            return slope == 0 ? graph.relu(z) : graph.leakyRelu(z, slope);
        }

        @Override
        public Kernel forwardKernel() {
            return LeakyReluKernel.forward(slope);
        }

        @Override
        public Kernel backwardKernel() {
            return LeakyReluKernel.backward(slope);
        }

        @Override
        public double leakyReluSlope() {
            return slope >= 0 ? slope : Double.NaN;
        }

        @Override
        public double minSlope() {
            return Math.min(slope, 1.0);
        }

        @Override
        public double maxSlope() {
            return Math.max(slope, 1.0);
        }
    }

    /** tanh; Γ(z) = log cosh z = softplus(2z) − z − log 2. */
    record Tanh() implements Activation {
        @Override
        public Tensor apply(Tensor z) {
            return z.tanh();
        }

        @Override
        public Tensor antiderivative(Tensor z) {
            return z.mul(2).softplus().sub(z).sub(Math.log(2));
        }

        @Override
        public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value z) {
            return graph.tanh(z);
        }

        @Override
        public Kernel forwardKernel() {
            return TanhKernel.forward();
        }

        @Override
        public Kernel backwardKernel() {
            return TanhKernel.backward();
        }

        @Override
        public double minSlope() {
            return 0.0;
        }

        @Override
        public double maxSlope() {
            return 1.0;
        }
    }
}
