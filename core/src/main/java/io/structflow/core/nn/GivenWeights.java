package io.structflow.core.nn;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The checks of the tensors handed to one {@code fromWeights} factory call: each argument has the
 * shape its named dimensions give and the element type of the first argument (float32 or
 * float64). A dimension's size is fixed by the first argument that has it, and every later
 * argument must agree, so a factory states its shapes once, as in its Javadoc:
 * <pre>
 *   GivenWeights given = new GivenWeights("MlpField.fromWeights");
 *   given.require("innerWeight", innerWeight, "m", "n");
 *   given.require("outerWeight", outerWeight, "n", "m");
 * </pre>
 * A failure throws an {@link IllegalArgumentException} naming the factory, the argument, the
 * expected and the actual shape: {@code MlpField.fromWeights: outerWeight expected shape [n, m] =
 * [3, 4] but got [3, 5]}.
 */
public final class GivenWeights {
    private final String where;
    private final Map<String, Long> sizes = new LinkedHashMap<>();
    private DataType type;
    private String typeSource;

    /** @param where the factory, e.g. {@code "MlpField.fromWeights"} */
    public GivenWeights(String where) {
        this.where = where;
    }

    /**
     * Requires {@code t} to have one axis per name in {@code dimensions}, each of the size already
     * fixed for that name; the names not yet fixed are fixed by {@code t}.
     *
     * @param argument   the argument's name in the factory's signature
     * @param t          the tensor (not mutated)
     * @param dimensions one name per axis, e.g. {@code "m", "n"}, or a number for a fixed size ({@code "1"})
     * @return t
     */
    public Tensor require(String argument, Tensor t, String... dimensions) {
        if (t == null || t.rank() != dimensions.length) {
            throw mismatch(argument, t, dimensions);
        }
        for (int i = 0; i < dimensions.length; i++) {
            Long fixed = fixedSize(dimensions[i]);
            if (fixed != null && fixed != t.size(i)) {
                throw mismatch(argument, t, dimensions);
            }
        }
        if (type == null) {
            if (t.dtype() != DataType.FLOAT && t.dtype() != DataType.DOUBLE) {
                throw new IllegalArgumentException(where + ": " + argument + " expected element type FLOAT or DOUBLE "
                        + "but got " + t.dtype());
            }
            type = t.dtype();
            typeSource = argument;
        } else if (t.dtype() != type) {
            throw new IllegalArgumentException(where + ": " + argument + " expected element type " + type + " (that of "
                    + typeSource + ") but got " + t.dtype());
        }
        for (int i = 0; i < dimensions.length; i++) {
            sizes.putIfAbsent(dimensions[i], t.size(i));
        }
        return t;
    }

    /** The size of a dimension: a number names itself, a name its fixed size, or null if not fixed yet. */
    private Long fixedSize(String dimension) {
        return dimension.chars().allMatch(Character::isDigit) ? Long.valueOf(dimension) : sizes.get(dimension);
    }

    /** Fixes the size of a dimension derived from others, e.g. {@code "n(n−1)/2"}. */
    public void define(String dimension, long size) {
        sizes.put(dimension, size);
    }

    /** The size fixed for {@code dimension}. */
    public long size(String dimension) {
        Long size = sizes.get(dimension);
        if (size == null) {
            throw new IllegalStateException(where + ": dimension " + dimension + " is not fixed by any argument yet");
        }
        return size;
    }

    /** The element type of the arguments checked so far. */
    public DataType type() {
        return type;
    }

    /** {@code "<where>: <argument> expected <expected> but got <actual>"}, for a condition beyond shapes. */
    public IllegalArgumentException bad(String argument, String expected, Object actual) {
        return new IllegalArgumentException(where + ": " + argument + " expected " + expected + " but got " + actual);
    }

    private IllegalArgumentException mismatch(String argument, Tensor t, String[] dimensions) {
        List<String> shown = new ArrayList<>();
        boolean any = false;
        for (String d : dimensions) {
            Long size = fixedSize(d);
            any |= size != null;
            shown.add(size == null ? "*" : Long.toString(size));
        }
        String expected = "[" + String.join(", ", dimensions) + "]" + (any ? " = " + shown : "");
        return bad(argument, "shape " + expected, t == null ? "null" : Shapes.str(t.shape()));
    }
}
