package io.structflow.core.nn;

import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Shapes;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A builder of a model's inference graph: the operators a trained structflow network is made of
 * at inference, with its weights as constants, in the vocabulary of ONNX's standard operators
 * (<a href="https://onnx.ai/onnx/operators/">onnx.ai/onnx/operators</a>): Gemm, MatMul, Conv,
 * ConvTranspose, Relu/LeakyRelu/Tanh, Add/Sub/Mul, AveragePool, Flatten, Pad, Slice, Concat.
 *
 * <p>Modules describe themselves through {@link Exportable}; an implementation (the ONNX writer
 * of {@code structflow-interop}) records the operators. Values carry their shape with the batch
 * dimension as {@value #BATCH} (it stays symbolic), so modules can read ranks and sizes. Every
 * constant is converted to the graph's element type.
 */
public interface InferenceGraph {
    /** The batch dimension in a {@link Value}'s shape. */
    long BATCH = -1;

    /**
     * A value of the graph: its unique name and shape ({@code shape[0] == BATCH}).
     *
     * @param name  unique within the graph
     * @param shape per-sample sizes after a leading {@link #BATCH}
     */
    record Value(String name, long[] shape) {
        /** Copies the shape. */
        public Value {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** The rank, batch included. */
        public int rank() {
            return shape.length;
        }

        /** The size of dimension {@code axis} ({@link #BATCH} for 0). */
        public long size(int axis) {
            return shape[axis];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && v.name.equals(name) && Arrays.equals(v.shape, shape);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + Shapes.str(shape);
        }
    }

    /**
     * Appends {@code module} applied to {@code x} under the name {@code child} (scoped within the
     * caller's name, as the module tree's dotted names are).
     *
     * @throws UnsupportedOperationException naming the module's dotted path and class if it is not
     *                                       {@link Exportable} or cannot express itself exactly
     */
    Value apply(String child, Module module, Value x);

    /** The composition of {@code modules}, first to last, each under its index ({@code 0, 1, …}). */
    default Value applyInOrder(List<? extends Module> modules, Value x) {
        Value y = x;
        for (int i = 0; i < modules.size(); i++) {
            y = apply(Integer.toString(i), modules.get(i), y);
        }
        return y;
    }

    /** A constant (an initializer), converted to the graph's element type; not mutated. */
    Value constant(String name, INDArray value);

    /** ONNX Gemm {@code x Wᵀ + b}: x {@code [batch, in]}, W {@code [out, in]}, b {@code [out]} or null. */
    Value linear(Value x, INDArray weight, INDArray bias);

    /** ONNX MatMul {@code x W}: x {@code [batch, k]}, W {@code [k, n]}. */
    Value matmul(Value x, INDArray weight);

    /** Elementwise {@code a + b} with numpy broadcasting. */
    Value add(Value a, Value b);

    /** Elementwise {@code a − b} with numpy broadcasting. */
    Value sub(Value a, Value b);

    /** Elementwise {@code a · b} with numpy broadcasting. */
    Value mul(Value a, Value b);

    /** {@code c · x} for a constant scalar c. */
    Value scale(Value x, double c);

    /** {@code x + c} for a constant c broadcast against x (a bias). */
    Value addConstant(Value x, INDArray c);

    /** {@code x · c} for a constant c broadcast against x. */
    Value mulConstant(Value x, INDArray c);

    /** {@code max(z, 0)}. */
    Value relu(Value z);

    /** {@code z} for z &gt; 0, {@code slope·z} otherwise. */
    Value leakyRelu(Value z, double slope);

    /** {@code tanh z}. */
    Value tanh(Value z);

    /**
     * ONNX Conv of x {@code [batch, C, H, W]} with kernel {@code [outC, C, kH, kW]} (PyTorch's
     * cross-correlation), strides and symmetric zero padding of {@code geometry}, bias
     * {@code [outC]} or null.
     */
    Value conv(Value x, INDArray kernel, INDArray bias, ConvGeometry geometry);

    /**
     * ONNX ConvTranspose, the adjoint of {@link #conv} with the same kernel {@code [outC, C, kH, kW]}:
     * y {@code [batch, outC, h, w]} to {@code [batch, C, outHeight, outWidth]}.
     */
    Value convTranspose(Value y, INDArray kernel, ConvGeometry geometry, long outHeight, long outWidth);

    /** Non-overlapping {@code k×k} average pooling of {@code [batch, C, H, W]}. */
    Value averagePool(Value x, int k);

    /** {@code [batch, …]} to {@code [batch, product of the rest]} (row-major). */
    Value flatten(Value x);

    /** Zero padding: {@code before[i]} and {@code after[i]} zeros on each side of dimension i (0 for the batch). */
    Value pad(Value x, long[] before, long[] after);

    /** Elements {@code [start, end)} of dimension {@code axis}. */
    Value slice(Value x, int axis, long start, long end);

    /** Joins values along {@code axis}. */
    Value concat(int axis, Value... parts);
}
