package io.structflow.core.autodiff;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Work arrays of fused backward rules, one set per thread, element type and shape: a rule writes
 * them and reads them back within one kernel and keeps nothing in them, so every call (and every
 * recorded {@link Replay} of it) on a thread may share them instead of allocating its own — an
 * ND4J array costs 5–15 µs to create ({@code shared/ND4J-PERF.md}).
 */
final class Scratch {
    private static final ThreadLocal<Map<String, INDArray[]>> ARRAYS = ThreadLocal.withInitial(HashMap::new);

    private Scratch() {
    }

    /**
     * {@code count} distinct row-major work arrays of type {@code t} and this shape (contents
     * undefined) for {@code purpose}: requests with another purpose never get the same arrays, so
     * a rule can ask twice for arrays that happen to have equal shapes.
     */
    static INDArray[] arrays(String purpose, DataType t, long[] shape, int count) {
        String key = purpose + ":" + t + ":" + java.util.Arrays.toString(shape);
        INDArray[] set = ARRAYS.get().get(key);
        if (set == null || set.length < count) {
            set = new INDArray[count];
            for (int i = 0; i < count; i++) {
                set[i] = Nd4j.createUninitialized(t, shape, 'c');
            }
            ARRAYS.get().put(key, set);
        }
        return set;
    }

    /** Work scalar number {@code slot} of type {@code t} (contents undefined). */
    static INDArray scalar(DataType t, int slot) {
        return ARRAYS.get().computeIfAbsent("scalar:" + t + ":" + slot, k -> new INDArray[] {Nd4j.scalar(t, 0.0)})[0];
    }
}
