package io.structflow.constraints.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The state of a warm-started operator-norm estimate as checkpoint slots: {@value #VECTOR}, the
 * warm-start vector (float64 {@code [n]}, absent before the first estimate), and
 * {@value #RANDOM}, the position of its {@link SplitMix64} generator (int64 {@code [1]}).
 *
 * @param vector   the warm-start vector, or null before the first estimate (not copied)
 * @param position the generator's position
 */
public record WarmStart(double[] vector, long position) {
    /** Slot of the warm-start vector. */
    public static final String VECTOR = "warm_start";
    /** Slot of the generator's position. */
    public static final String RANDOM = "random_position";

    /** The slots, holding copies. */
    public Map<String, INDArray> toState() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (vector != null) {
            out.put(VECTOR, Nd4j.createFromArray(vector.clone()));
        }
        out.put(RANDOM, Nd4j.createFromArray(new long[] {position}));
        return out;
    }

    /**
     * Reads slots written by {@link #toState()}.
     *
     * @param where the estimator, named in messages
     * @throws IllegalArgumentException naming {@code where} and the slot if a slot is missing,
     *         unknown, or of another type or shape
     */
    public static WarmStart fromState(String where, Map<String, INDArray> saved) {
        for (String slot : saved.keySet()) {
            if (!slot.equals(VECTOR) && !slot.equals(RANDOM)) {
                throw Messages.badArgument(where + ".loadState", "slot \"" + slot + "\"", "one of " + VECTOR + ", "
                        + RANDOM, "an unknown slot");
            }
        }
        INDArray random = saved.get(RANDOM);
        if (random == null || random.dataType() != DataType.LONG || random.length() != 1) {
            throw Messages.badArgument(where + ".loadState", "slot " + RANDOM, "an int64 array [1]",
                    random == null ? "none" : random.dataType() + java.util.Arrays.toString(random.shape()));
        }
        INDArray v = saved.get(VECTOR);
        if (v != null && (v.dataType() != DataType.DOUBLE || v.rank() != 1)) {
            throw Messages.badArgument(where + ".loadState", "slot " + VECTOR, "a float64 vector [n]",
                    v.dataType() + java.util.Arrays.toString(v.shape()));
        }
        return new WarmStart(v == null ? null : v.toDoubleVector(), random.getLong(0));
    }
}
