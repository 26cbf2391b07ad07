package io.structflow.core.io;

import io.structflow.core.autodiff.Shapes;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's weights as a safetensors state dict ({@link SafeTensors}), keyed by the stable dotted
 * names of {@link Module#namedParameters()} ({@code dynamics.0.field.W}): the layout of a PyTorch
 * {@code state_dict()} whose modules are registered under the same names (weights {@code [out, in]},
 * convolution kernels {@code [outC, inC, kH, kW]}; {@code docs/interop.md} has the map for each
 * library network).
 *
 * <p>What is stored is every registered {@link Parameter}, raw: a parametrised weight (for example
 * {@code A = expm(W − Wᵀ)}) is stored as its raw {@code W}, as PyTorch's {@code parametrize} stores
 * {@code original}. structflow modules hold no other tensor that the forward pass reads (no
 * buffers: fixed steps are architecture constants, and constraint state such as power-iteration
 * vectors is training state, kept by {@link io.structflow.core.train.Checkpoint}), so these files
 * are the whole inference state.
 *
 * <p>Loading is all or nothing: every name, element type and shape is checked against the model,
 * and every value for finiteness, before the first parameter is written.
 */
public final class ModelWeights {
    /** Metadata key naming the producer, as PyTorch's safetensors writer records {@code format}. */
    public static final String FORMAT_KEY = "format";
    /** Value of {@link #FORMAT_KEY} in files this class writes. */
    public static final String FORMAT = "structflow";

    private ModelWeights() {
    }

    /** The parameters' current values by dotted name (views of the live values: do not write). */
    public static Map<String, INDArray> stateDict(Module model) {
        if (model == null) {
            throw new IllegalArgumentException("ModelWeights.stateDict: model expected non-null but got null");
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> out.put(name, p.value()));
        return out;
    }

    /**
     * Writes every parameter of {@code model} to {@code file} (atomically), with
     * {@code format = structflow} in the metadata.
     *
     * @throws ArithmeticException naming the parameter if one holds NaN or ±∞ (nothing is written)
     * @throws IOException         if writing fails
     */
    public static void save(Module model, Path file) throws IOException {
        save(model, file, Map.of());
    }

    /**
     * As {@link #save(Module, Path)}, adding {@code metadata} to the file's {@code __metadata__}.
     */
    public static void save(Module model, Path file, Map<String, String> metadata) throws IOException {
        Map<String, INDArray> state = stateDict(model);
        for (Parameter p : model.parameters()) {
            p.requireFinite("when saving " + file);
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.putIfAbsent(FORMAT_KEY, FORMAT);
        SafeTensors.write(file, state, meta);
    }

    /**
     * Reads {@code file} and copies its tensors into {@code model}'s parameters, in place.
     *
     * @return the file's metadata
     * @throws IOException              if the file is not a valid safetensors file (see {@link SafeTensors#read})
     * @throws IllegalArgumentException of one line naming the file and the tensor, with the expected
     *                                  and the found value, if a parameter is missing from the file,
     *                                  the file has a tensor the model lacks, an element type or shape
     *                                  differs, or a value is not finite; the model is then unchanged
     */
    public static Map<String, String> load(Module model, Path file) throws IOException {
        if (model == null) {
            throw new IllegalArgumentException("ModelWeights.load: model expected non-null but got null");
        }
        SafeTensors.Contents contents = SafeTensors.read(file);
        copyInto(model, contents.tensors(), "safetensors " + file);
        return contents.metadata();
    }

    /**
     * Copies {@code tensors} into {@code model}'s parameters after checking all of them (names,
     * element types, shapes, finiteness); on any error nothing is written.
     *
     * @param source what the tensors came from, for messages
     * @throws IllegalArgumentException as {@link #load}
     */
    public static void copyInto(Module model, Map<String, INDArray> tensors, String source) {
        Map<String, Parameter> live = model.namedParameters();
        List<String> extra = new ArrayList<>();
        for (String name : tensors.keySet()) {
            if (!live.containsKey(name)) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(source + ": tensor \"" + extra.get(0) + "\" expected to be a parameter of "
                    + "the model but it has none of that name (" + extra.size() + " unknown: " + extra
                    + "; the model's: " + live.keySet() + ")");
        }
        for (Map.Entry<String, Parameter> e : live.entrySet()) {
            String name = e.getKey();
            INDArray now = e.getValue().value();
            INDArray given = tensors.get(name);
            if (given == null) {
                throw new IllegalArgumentException(source + ": tensor \"" + name + "\" expected (the model's "
                        + now.dataType() + Shapes.str(now.shape()) + ") but is missing");
            }
            if (given.dataType() != now.dataType() || !Arrays.equals(given.shape(), now.shape())) {
                throw new IllegalArgumentException(source + ": tensor \"" + name + "\" expected " + now.dataType()
                        + Shapes.str(now.shape()) + " (the model's) but found " + given.dataType()
                        + Shapes.str(given.shape()));
            }
            if (given.isNaN().any() || given.isInfinite().any()) {
                throw new IllegalArgumentException(source + ": tensor \"" + name
                        + "\" expected finite values but holds NaN or ±∞");
            }
        }
        live.forEach((name, p) -> p.updateInPlace(tensors.get(name)));
    }
}
