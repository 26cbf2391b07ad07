package io.structflow.core.nn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameters stored in one flat buffer: the value of parameter i is a row-major view of the range
 * {@code [offset_i, offset_i + n_i)} of a single 1-D array, and so is its gradient in a second
 * one. An optimiser then updates every parameter with a few native calls on the flat arrays
 * instead of a few per parameter (PyTorch's {@code torch._utils._flatten_dense_tensors} layout,
 * used by its fused optimisers and {@code DistributedDataParallel} buckets).
 *
 * <p>Building a buffer moves the parameters' storage ({@link Parameter#storageVersion()} counts
 * the moves), copying values and any accumulated gradient. A parameter lives in at most one
 * buffer: putting it into a new one takes it out of the old, whose {@link #holdsAll()} turns false
 * — an optimiser checks that before using the flat arrays. Code that keeps a parameter's array
 * across calls (a recorded replay, a cache) compares the storage version.
 */
public final class ParameterBuffer {
    private final List<Parameter> parameters;
    private final long[] offsets;
    private final DataType type;
    private final INDArray values;
    private final INDArray gradients;

    private ParameterBuffer(List<Parameter> parameters, DataType type) {
        this.parameters = parameters;
        this.type = type;
        this.offsets = new long[parameters.size() + 1];
        for (int i = 0; i < parameters.size(); i++) {
            offsets[i + 1] = offsets[i] + parameters.get(i).length();
        }
        this.values = Nd4j.createUninitialized(type, offsets[parameters.size()]);
        this.gradients = Nd4j.zeros(type, offsets[parameters.size()]);
    }

    /**
     * Moves {@code parameters} (in this order) into one new flat buffer.
     *
     * @throws IllegalArgumentException if the collection is empty or null, holds null or the same
     *         parameter twice, or mixes element types (a flat buffer has one)
     */
    public static ParameterBuffer of(Collection<Parameter> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException("ParameterBuffer.of: parameters expected at least one but got "
                    + (parameters == null ? "null" : "none"));
        }
        List<Parameter> list = new ArrayList<>(parameters);
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        DataType type = null;
        for (Parameter p : list) {
            if (p == null) {
                throw new IllegalArgumentException("ParameterBuffer.of: parameters expected non-null but got null");
            }
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("ParameterBuffer.of: parameters expected distinct but got " + p.name()
                        + " twice");
            }
            if (type == null) {
                type = p.dtype();
            } else if (p.dtype() != type) {
                throw new IllegalArgumentException("ParameterBuffer.of: parameters expected one element type but "
                        + list.get(0).name() + " is " + type + " and " + p.name() + " is " + p.dtype());
            }
        }
        ParameterBuffer buffer = new ParameterBuffer(Collections.unmodifiableList(list), type);
        for (int i = 0; i < list.size(); i++) {
            list.get(i).moveTo(buffer, buffer.view(buffer.values, i), buffer.view(buffer.gradients, i));
        }
        return buffer;
    }

    /** The parameters in buffer order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Element type of every parameter. */
    public DataType dataType() {
        return type;
    }

    /** Total number of scalars. */
    public long length() {
        return offsets[parameters.size()];
    }

    /** The live flat values, {@code [length()]}; writing it writes the parameters. */
    public INDArray values() {
        return values;
    }

    /**
     * The live flat gradients, {@code [length()]}. The range of a parameter without an accumulated
     * gradient ({@link Parameter#grad()} null) holds stale numbers.
     */
    public INDArray gradients() {
        return gradients;
    }

    /** Whether every parameter still lives in this buffer (none was moved to another since). */
    public boolean holdsAll() {
        for (Parameter p : parameters) {
            if (p.buffer() != this) {
                return false;
            }
        }
        return true;
    }

    /** Whether every parameter has an accumulated gradient, so that {@link #gradients()} is current. */
    public boolean allHaveGradients() {
        for (Parameter p : parameters) {
            if (p.grad() == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * The view of parameter {@code index}'s range of a flat array laid out like this buffer (for
     * an optimiser's per-parameter state of the parameter's shape).
     *
     * @throws IllegalArgumentException if {@code flat} is not a 1-D array of {@link #length()}
     *         elements of this buffer's type, or the index is out of range
     */
    public INDArray view(INDArray flat, int index) {
        if (flat.rank() != 1 || flat.length() != length() || flat.dataType() != type) {
            throw new IllegalArgumentException("ParameterBuffer.view: flat expected " + type + "[" + length()
                    + "] but got " + flat.dataType() + java.util.Arrays.toString(flat.shape()));
        }
        if (index < 0 || index >= parameters.size()) {
            throw new IllegalArgumentException("ParameterBuffer.view: index expected in [0, " + parameters.size()
                    + ") but got " + index);
        }
        long[] shape = parameters.get(index).shape();
        return Nd4j.create(flat.data(), shape, Nd4j.getStrides(shape, 'c'), offsets[index], 'c', type);
    }
}
