package io.structflow.imaging;

import io.structflow.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reductions accumulated in float64 whatever the tensor's type (float32 sums drift, ND4J-PERF bug 2). */
final class Norms {
    private Norms() {
    }

    static INDArray asDouble(Tensor t) {
        return t.value().castTo(DataType.DOUBLE);
    }

    /** Euclidean norm of all elements. */
    static double norm(Tensor t) {
        return asDouble(t).norm2Number().doubleValue();
    }

    /** Euclidean norm of {@code a − b}. */
    static double distance(Tensor a, Tensor b) {
        return asDouble(a).sub(asDouble(b)).norm2Number().doubleValue();
    }

    /** Inner product of all elements. */
    static double dot(Tensor a, Tensor b) {
        return asDouble(a).mul(asDouble(b)).sumNumber().doubleValue();
    }
}
