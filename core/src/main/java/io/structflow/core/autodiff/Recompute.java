package io.structflow.core.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Operations that keep less of their graph than ordinary recording and recompute the rest in the
 * backward pass, trading compute for memory.
 *
 * <ul>
 * <li>{@link #checkpoint}: gradient checkpointing (Chen, Xu, Zhang, Guestrin, "Training deep nets
 *     with sublinear memory cost", arXiv:1604.06174, 2016): a segment {@code y = f(x)} runs without
 *     a graph and keeps only its input; its backward runs {@code f(x)} again with the graph on and
 *     back-propagates through that local graph.</li>
 * <li>{@link #reversible}: reversible backpropagation (Gomez, Ren, Urtasun, Grosse, "The reversible
 *     residual network", NeurIPS 2017, §3): a run {@code y = Φ_L ∘ … ∘ Φ_1(x)} of maps with exact
 *     inverses keeps only its ends; its backward reconstructs each map's input
 *     {@code x_{i−1} = Φ_i⁻¹(x_i)} from the output down, and differentiates {@code Φ_i} alone at the
 *     reconstructed input (recompute with the graph on, back-propagate the incoming cotangent,
 *     pass the input's cotangent down). The bottom map's input is the operation's input and is
 *     used as it is. Graph memory is that of one map, whatever L.</li>
 * </ul>
 *
 * <p>Both record one operation whose inputs are {@code x} and the parameters; its backward returns
 * their gradients, so {@link Autograd#backward}, {@link Autograd#grad} and {@link Replay} treat it as
 * any other operation (under {@link Autograd#backward}, a parameter's gradient goes to the parameter
 * as soon as its map is differentiated, so the run holds no more than one map's gradients). The
 * arrays each map's recomputation allocates are freed once the map's input cotangent exists
 * ({@link Intermediates}), so memory in use is that of one map's graph whatever the run's length.
 * The parameters listed must be every tensor requiring a gradient that the
 * maps read besides their input: the backward pass checks this on the local graph and names an
 * unlisted one. When the backward pass is itself recorded (double backprop, {@code createGraph}),
 * the whole computation is recorded again from the operation's input, so higher derivatives are
 * exact but the memory saving is lost for that pass. In floating point the reconstructed inputs
 * carry the inverses' round-off; the gradients are those of the maps at the reconstructed inputs.
 */
public final class Recompute {
    private Recompute() {
    }

    /**
     * One map of a reversible run.
     *
     * @param name       how error messages name the map
     * @param forward    {@code x ↦ Φ(x)}, shape-preserving
     * @param inverse    {@code y ↦ Φ⁻¹(y)}, exact up to round-off
     * @param parameters tensors requiring a gradient that {@code forward} reads besides x
     */
    public record Step(String name, Function<Tensor, Tensor> forward, Function<Tensor, Tensor> inverse,
                       List<? extends Tensor> parameters) {
    }

    /**
     * {@code f(x)}, keeping x and recomputing f in the backward pass.
     *
     * @param name       operation name for errors
     * @param f          the segment
     * @param parameters tensors requiring a gradient that f reads besides x
     * @param x          the segment's input; not mutated
     */
    public static Tensor checkpoint(String name, Function<Tensor, Tensor> f, List<? extends Tensor> parameters,
                                    Tensor x) {
        Tensor[] inputs = inputs(x, List.<List<? extends Tensor>>of(parameters));
        Tensor y = withoutGraph(List.of(f), x);
        return Tensor.fromOp(name, y.value(), g -> {
            if (GradMode.isEnabled()) {
                return recordedBackward(f, inputs, g);
            }
            try (Intermediates scope = Intermediates.open()) {
                Map<Tensor, Tensor> grads = new IdentityHashMap<>();
                Tensor gx = localBackward(name, f, parameters, x.value(), g, grads);
                Tensor[] out = gradients(inputs, gx, grads);
                scope.keep(out);
                return out;
            }
        }, inputs);
    }

    /**
     * {@code Φ_L ∘ … ∘ Φ_1(x)}, keeping only x and the output; see the class documentation.
     *
     * @param name  operation name for errors
     * @param steps the maps, first applied first; at least one
     * @param x     the run's input; not mutated
     */
    public static Tensor reversible(String name, List<Step> steps, Tensor x) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("Recompute.reversible: steps expected at least one map but got none");
        }
        List<List<? extends Tensor>> parameterLists = new ArrayList<>();
        for (Step s : steps) {
            parameterLists.add(s.parameters());
        }
        Tensor[] inputs = inputs(x, parameterLists);
        List<Function<Tensor, Tensor>> maps = new ArrayList<>();
        for (Step s : steps) {
            maps.add(s.forward());
        }
        Tensor output = withoutGraph(maps, x);
        return Tensor.fromOp(name, output.value(), g -> {
            if (GradMode.isEnabled()) {
                return recordedBackward(t -> compose(maps, t), inputs, g);
            }
            try (Intermediates scope = Intermediates.open()) {
                Map<Tensor, Tensor> grads = new IdentityHashMap<>();
                Tensor upper = output;
                Tensor cotangent = g;
                for (int i = steps.size() - 1; i >= 0; i--) {
                    Step s = steps.get(i);
                    Tensor lower = i == 0 ? x : withoutGraph(List.of(s.inverse()), upper);
                    cotangent = localBackward(name + " step " + i + " (" + s.name() + ")", s.forward(), s.parameters(),
                            lower.value(), cotangent, grads);
                    upper = lower;
                    // what map i allocated (its local graph, gradients summed away, the input rebuilt above
                    // it) is dead now: the memory in use stays that of one map, whatever the depth
                    List<Tensor> live = new ArrayList<>(grads.values());
                    live.add(upper);
                    live.add(cotangent);
                    scope.releaseExcept(live);
                }
                Tensor[] out = gradients(inputs, cotangent, grads);
                scope.keep(out);
                return out;
            }
        }, inputs);
    }

    private static Tensor compose(List<Function<Tensor, Tensor>> maps, Tensor x) {
        Tensor y = x;
        for (Function<Tensor, Tensor> f : maps) {
            y = f.apply(y);
        }
        return y;
    }

    /**
     * The maps applied in order with grad mode off: no graph is kept, and each map's intermediate
     * arrays (and the previous map's output) are freed once its output exists.
     */
    private static Tensor withoutGraph(List<Function<Tensor, Tensor>> maps, Tensor x) {
        try (Intermediates scope = Intermediates.open(); GradMode.Scope s = GradMode.noGrad()) {
            Tensor y = x;
            for (Function<Tensor, Tensor> f : maps) {
                y = f.apply(y);
                scope.releaseExcept(y);
            }
            scope.keep(y);
            return y;
        }
    }

    /** x followed by the distinct parameters (by identity) that require a gradient, in first-seen order. */
    private static Tensor[] inputs(Tensor x, List<List<? extends Tensor>> parameterLists) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Tensor> out = new ArrayList<>();
        out.add(x);
        for (List<? extends Tensor> list : parameterLists) {
            for (Tensor p : list) {
                if (p.requiresGrad() && seen.add(p)) {
                    out.add(p);
                }
            }
        }
        return out.toArray(new Tensor[0]);
    }

    /**
     * Recomputes {@code f} at {@code xValue} with the graph on and back-propagates {@code g}: adds
     * the parameters' gradients to {@code grads} and returns the input's.
     */
    private static Tensor localBackward(String where, Function<Tensor, Tensor> f, List<? extends Tensor> parameters,
                                        INDArray xValue, Tensor g,
                                        Map<Tensor, Tensor> grads) {
        try (GradMode.Scope s = GradMode.enableGrad()) {
            Tensor x = Tensor.variable(xValue);
            Tensor y = f.apply(x);
            if (!Arrays.equals(y.shape(), g.shape())) {
                throw new IllegalStateException(where + ": recomputed output has shape " + Shapes.str(y.shape())
                        + " but the forward pass produced " + Shapes.str(g.shape()));
            }
            List<Tensor> wanted = new ArrayList<>();
            wanted.add(x);
            for (Tensor p : parameters) {
                if (p.requiresGrad()) {
                    wanted.add(p);
                }
            }
            requireListed(where, y, wanted);
            if (!y.requiresGrad()) {
                return Tensor.zeros(g.dtype(), xValue.shape());
            }
            Tensor[] local = Autograd.grad(new Tensor[] {y}, new Tensor[] {g}, wanted.toArray(new Tensor[0]),
                    false, false);
            for (int i = 1; i < local.length; i++) {
                if (Autograd.sinksTakeGradients() && wanted.get(i) instanceof GradientSink sink) {
                    sink.accumulateGrad(local[i].value());   // added now: not held until the run's end
                    continue;
                }
                Tensor prev = grads.get(wanted.get(i));
                grads.put(wanted.get(i), prev == null ? local[i] : prev.add(local[i]));
            }
            return local[0];
        }
    }

    /** Throws if the graph of y reads a tensor requiring a gradient that is not in {@code listed}. */
    private static void requireListed(String where, Tensor y, List<Tensor> listed) {
        Set<Tensor> known = Collections.newSetFromMap(new IdentityHashMap<>());
        known.addAll(listed);
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Tensor> stack = new ArrayList<>();
        stack.add(y);
        while (!stack.isEmpty()) {
            Tensor t = stack.remove(stack.size() - 1);
            if (t == null || !t.requiresGrad() || !visited.add(t)) {
                continue;
            }
            if (t.isLeaf()) {
                if (!known.contains(t)) {
                    throw new IllegalStateException(where + ": the map reads a tensor requiring a gradient ("
                            + (t instanceof GradientSink ? t.toString() : "shape " + Shapes.str(t.shape()))
                            + ") that is not among its declared parameters; declare it");
                }
                continue;
            }
            Collections.addAll(stack, t.inputs());
        }
    }

    /** The gradients in the operation's input order: x's, then each parameter's (null where none). */
    private static Tensor[] gradients(Tensor[] inputs, Tensor gx, Map<Tensor, Tensor> grads) {
        Tensor[] out = new Tensor[inputs.length];
        out[0] = inputs[0].requiresGrad() ? gx : null;
        for (int i = 1; i < inputs.length; i++) {
            out[i] = grads.get(inputs[i]);
        }
        return out;
    }

    /** The backward pass recorded for higher derivatives: f recomputed from the operation's own inputs. */
    private static Tensor[] recordedBackward(Function<Tensor, Tensor> f, Tensor[] inputs, Tensor g) {
        List<Tensor> wanted = new ArrayList<>();
        for (Tensor t : inputs) {
            if (t.requiresGrad()) {
                wanted.add(t);
            }
        }
        Tensor y = f.apply(inputs[0]);
        Tensor[] grads = Autograd.grad(new Tensor[] {y}, new Tensor[] {g}, wanted.toArray(new Tensor[0]), true, true);
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0, k = 0; i < inputs.length; i++) {
            out[i] = inputs[i].requiresGrad() ? grads[k++] : null;
        }
        return out;
    }
}
