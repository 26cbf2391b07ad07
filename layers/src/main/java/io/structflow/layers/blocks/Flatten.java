package io.structflow.layers.blocks;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import io.structflow.layers.LipschitzBounded;

/**
 * Flattens feature maps before the linear head of the network of [CMOSS] §3.3:
 * {@code [batch, C, H, W] → [batch, C·H·W]}. A reordering of coordinates, hence an isometry of the
 * Euclidean norm: its Lipschitz constant is exactly 1, which lets {@code Lipschitz.bound} multiply
 * through it. No parameters.
 */
public final class Flatten extends Module implements LipschitzBounded, Exportable {
    /**
     * @param x {@code [batch, ...]}; not mutated
     * @return {@code [batch, features]}
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.rank() < 2) {
            throw new IllegalArgumentException("Flatten.forward: x expected shape [batch, ...] of rank ≥ 2 but got "
                    + (x == null ? "null" : java.util.Arrays.toString(x.shape())));
        }
        return x.flatten();
    }

    /** 1: flattening preserves the Euclidean norm. */
    @Override
    public double lipschitzBound() {
        return 1;
    }

    @Override
    public String toString() {
        return "Flatten";
    }

    /** ONNX Flatten at axis 1. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        return graph.flatten(x);
    }
}
