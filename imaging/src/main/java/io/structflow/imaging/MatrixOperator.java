package io.structflow.imaging;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dense matrix {@code A ∈ ℝ^{m×n}} as a {@link LinearOperator} on vectors, batch first: for
 * {@code x [batch, n]}, {@code apply(x) = x Aᵀ [batch, m]} (each row is {@code A xᵢ}) and for
 * {@code y [batch, m]}, {@code adjoint(y) = y A [batch, n]}. The forward operator of compressed
 * sensing, {@code y = Ax} with {@code m < n} ({@link Ista}). One gemm per call.
 */
public final class MatrixOperator implements LinearOperator {
    private final INDArray matrix;
    private Tensor asFloat;
    private Tensor asDouble;

    /**
     * @param a the matrix A, {@code [m, n]}; copied, so later changes to {@code a} do not affect
     *          the operator
     */
    public MatrixOperator(Tensor a) {
        if (a.rank() != 2) {
            throw Messages.badShape("MatrixOperator", "A", "[m, n]", a);
        }
        this.matrix = a.value().castTo(DataType.DOUBLE).dup('c');
    }

    /** Number of rows m (measurements). */
    public long rows() {
        return matrix.size(0);
    }

    /** Number of columns n (unknowns). */
    public long columns() {
        return matrix.size(1);
    }

    /** The matrix as a float64 constant {@code [m, n]}. */
    public Tensor matrix() {
        return weight(DataType.DOUBLE);
    }

    @Override
    public Tensor apply(Tensor x) {
        if (x.rank() != 2 || x.size(1) != columns()) {
            throw Messages.badShape("MatrixOperator.apply", "x", "[batch, " + columns() + "]", x);
        }
        return x.matmul(weight(x.dtype()), false, true);
    }

    @Override
    public Tensor adjoint(Tensor y) {
        if (y.rank() != 2 || y.size(1) != rows()) {
            throw Messages.badShape("MatrixOperator.adjoint", "y", "[batch, " + rows() + "]", y);
        }
        return y.matmul(weight(y.dtype()));
    }

    private Tensor weight(DataType type) {
        if (type == DataType.DOUBLE) {
            if (asDouble == null) {
                asDouble = Tensor.constant(matrix);
            }
            return asDouble;
        }
        if (asFloat == null) {
            asFloat = Tensor.constant(matrix.castTo(DataType.FLOAT));
        }
        return asFloat;
    }

    @Override
    public String toString() {
        return "MatrixOperator" + Shapes.str(matrix.shape());
    }
}
