package io.structflow.core.autodiff;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The array work of one operation: reads {@code in}, writes every array of {@code out}. Kernels
 * write only into their outputs, which the operation allocated, so that a {@link Replay} can run
 * them again on the same arrays after new data was copied into the step's inputs.
 */
@FunctionalInterface
public interface Kernel {
    /** Computes {@code out} from {@code in}. */
    void run(INDArray[] in, INDArray[] out);
}
