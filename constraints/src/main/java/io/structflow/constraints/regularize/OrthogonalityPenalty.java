package io.structflow.constraints.regularize;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The soft orthogonality penalty of a dense weight {@code W [m, n]},
 * <pre>
 *   ‖WᵀW − I_n‖²_F   (m ≥ n),      ‖WWᵀ − I_m‖²_F   (m &lt; n),
 * </pre>
 * zero exactly when W has orthonormal columns (rows). Built from tensor ops, so differentiable
 * to any order; cost {@code 2mn·min(m, n)} flops. A soft alternative to
 * {@link io.structflow.constraints.parametrize.ExponentialOrthogonal} and
 * {@link io.structflow.constraints.project.BjorckOrthonormalization} ([CMOSS] §3.3).
 */
public final class OrthogonalityPenalty implements Regularizer {
    @Override
    public Tensor apply(Tensor weight) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("OrthogonalityPenalty: weight expected a matrix [m, n] but got shape "
                    + Shapes.str(weight.shape()) + " (use ConvOrthogonalityPenalty for kernels)");
        }
        boolean tall = weight.size(0) >= weight.size(1);
        Tensor gram = tall ? weight.matmul(weight, true, false) : weight.matmul(weight, false, true);
        Tensor eye = Tensor.constant(Nd4j.eye(gram.size(0)).castTo(weight.dtype()));
        return gram.sub(eye).square().sum();
    }

    @Override
    public String describe() {
        return "‖WᵀW − I‖²_F";
    }
}
