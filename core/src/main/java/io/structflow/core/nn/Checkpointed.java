package io.structflow.core.nn;

import io.structflow.core.autodiff.Recompute;
import io.structflow.core.autodiff.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The layers of a {@link Sequential} run with gradient checkpointing (Chen et al. 2016,
 * arXiv:1604.06174; {@link Recompute#checkpoint}): the layers are cut into segments of
 * {@code every} consecutive layers, each segment keeps only its input during the forward pass, and
 * the backward pass recomputes one segment at a time. A training step thus keeps about
 * {@code L/every} activations plus one segment's graph instead of L layers' graphs; it costs one
 * more forward pass. Gradients are those of the Sequential (the same operations run again on the
 * same inputs).
 *
 * <p>The layers are shared with the Sequential and registered under the same names
 * ({@code 0, 1, …}), so parameter names and checkpoints are interchangeable between the two.
 */
public final class Checkpointed extends Module {
    private final List<Module> layers;
    private final int every;

    /**
     * @param sequential the layers
     * @param every      segment length k ≥ 1 (one stored activation every k layers)
     * @throws IllegalArgumentException if {@code every < 1} or the Sequential is null
     */
    public Checkpointed(Sequential sequential, int every) {
        if (sequential == null) {
            throw new IllegalArgumentException("Checkpointed: sequential expected layers but got null");
        }
        if (every < 1) {
            throw new IllegalArgumentException("Checkpointed: every expected ≥ 1 but got " + every);
        }
        this.layers = sequential.layers();
        this.every = every;
        for (int i = 0; i < layers.size(); i++) {
            register(Integer.toString(i), layers.get(i));
        }
    }

    /** The segment length k. */
    public int every() {
        return every;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (int start = 0; start < layers.size(); start += every) {
            List<Module> segment = layers.subList(start, Math.min(layers.size(), start + every));
            List<Parameter> parameters = new ArrayList<>();
            for (Module m : segment) {
                parameters.addAll(m.parameters());
            }
            y = Recompute.checkpoint("Checkpointed layers " + start + "–" + (start + segment.size() - 1),
                    t -> {
                        Tensor out = t;
                        for (Module m : segment) {
                            out = m.forward(out);
                        }
                        return out;
                    }, parameters, y);
        }
        return y;
    }
}
