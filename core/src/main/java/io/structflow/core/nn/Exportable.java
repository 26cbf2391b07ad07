package io.structflow.core.nn;

/**
 * A module that can state its inference computation as operators of an {@link InferenceGraph}
 * (and so be exported to ONNX). It appends exactly what {@code forward} computes at its current
 * parameters, with its weights (after any parametrisation, e.g. {@code A = expm(W − Wᵀ)}) as
 * constants; a module that cannot do so exactly (an implicit solve) throws.
 */
public interface Exportable {
    /**
     * Appends this module applied to {@code x} to {@code graph}.
     *
     * @param x the input value, shaped as {@code forward}'s input
     * @return the output value, shaped as {@code forward}'s output
     * @throws UnsupportedOperationException with the reason if the map has no exact graph
     */
    InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x);
}
