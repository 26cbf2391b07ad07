package io.structflow.core.nn;

import io.structflow.core.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Composition {@code fₙ ∘ … ∘ f₁}; children are named {@code 0, 1, …}. */
public final class Sequential extends Module implements Exportable {
    private final List<Module> layers = new ArrayList<>();

    /** The composition of {@code layers}, applied first to last. */
    public Sequential(Module... layers) {
        for (Module m : layers) {
            add(m);
        }
    }

    /** Appends a layer. */
    public Sequential add(Module m) {
        register(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    /** The layers in order. */
    public List<Module> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module m : layers) {
            y = m.forward(y);
        }
        return y;
    }

    /** Each layer's graph in turn, under its index. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        return graph.applyInOrder(layers, x);
    }
}
