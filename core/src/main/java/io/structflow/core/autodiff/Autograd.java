package io.structflow.core.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation of a recorded graph.
 *
 * <p>{@link #grad} returns gradients of outputs with respect to chosen inputs; with
 * {@code createGraph = true} the gradient computation is itself recorded, so the result can be
 * differentiated again (second derivatives, Hessian-vector products, losses on {@code 𝕁∇H}).
 * {@link #backward} accumulates the gradient of a scalar loss into every {@link GradientSink} it
 * depends on (the model's parameters), for optimisers.
 */
public final class Autograd {
    /** True while {@link #backward} (not {@link #grad}) runs its pass on this thread. */
    private static final ThreadLocal<Boolean> SINK_PASS = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Autograd() {
    }

    /**
     * True inside a backward rule run by {@link #backward}: the rule may add a
     * {@link GradientSink}'s gradient to the sink itself (and return null for it) instead of
     * returning it, which is what {@code backward} would do with it. A rule that computes many
     * parameters' gradients one after another ({@link Recompute}) then need not hold them all.
     */
    static boolean sinksTakeGradients() {
        return SINK_PASS.get();
    }

    /**
     * Gradients of {@code Σᵢ ⟨gradOutputs[i], outputs[i]⟩} with respect to {@code inputs}.
     *
     * @param outputs      tensors to differentiate
     * @param gradOutputs  seeds, one per output with the output's shape; {@code null} means
     *                     ones (allowed for one-element outputs only)
     * @param inputs       tensors that require a gradient
     * @param createGraph  record the gradient computation for higher derivatives
     * @param retainGraph  keep the graph for another backward pass (implied by createGraph)
     * @return one gradient per input; zeros for an input the outputs do not depend on
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs,
                                boolean createGraph, boolean retainGraph) {
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad()) {
                throw new IllegalArgumentException("grad: inputs[" + i + "] does not require a gradient "
                        + "(make it with Tensor.variable or a Parameter)");
            }
        }
        Map<Tensor, Tensor> grads = run(outputs, gradOutputs, inputs, createGraph, retainGraph || createGraph, false);
        Tensor[] result = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = grads.get(inputs[i]);
            result[i] = g != null ? g : Tensor.zeros(inputs[i].dtype(), inputs[i].shape());
        }
        return result;
    }

    /** Gradient of one scalar with respect to inputs, optionally recorded for higher order. */
    public static Tensor[] grad(Tensor output, boolean createGraph, Tensor... inputs) {
        return grad(new Tensor[] {output}, null, inputs, createGraph, createGraph);
    }

    /**
     * Accumulates {@code ∂loss/∂p} into every {@link GradientSink} p (every parameter) the scalar
     * {@code loss} depends on, then releases the graph and frees the arrays the pass allocated
     * ({@link Intermediates}): the gradients of intermediate tensors are not kept.
     *
     * @throws ArithmeticException if the loss is NaN or infinite
     */
    public static void backward(Tensor loss) {
        if (loss.length() != 1) {
            throw new IllegalArgumentException("backward: loss expected one element but got shape "
                    + Shapes.str(loss.shape()) + " (reduce it with sum() or mean())");
        }
        double v = loss.value().getDouble(0);
        if (!Double.isFinite(v)) {
            throw new ArithmeticException("backward: loss is " + v + "; stopping before it reaches the parameters");
        }
        // the gradients of the pass are dead once the sinks have added them: free them now (Intermediates)
        try (Intermediates scope = Intermediates.open()) {
            Map<Tensor, Tensor> grads = run(new Tensor[] {loss}, null, null, false, false, true);
            for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
                if (e.getKey() instanceof GradientSink sink) {
                    sink.accumulateGrad(e.getValue().value());
                }
            }
        }
    }

    private static Map<Tensor, Tensor> run(Tensor[] outputs, Tensor[] seeds, Tensor[] wanted,
                                           boolean createGraph, boolean retain, boolean sinkPass) {
        Boolean outer = SINK_PASS.get();
        SINK_PASS.set(sinkPass);
        try {
            return differentiate(outputs, seeds, wanted, createGraph, retain);
        } finally {
            SINK_PASS.set(outer);
        }
    }

    private static Map<Tensor, Tensor> differentiate(Tensor[] outputs, Tensor[] seeds, Tensor[] wanted,
                                                     boolean createGraph, boolean retain) {
        List<Tensor> order = topologicalOrder(outputs);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        Set<Tensor> wantedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        if (wanted != null) {
            Collections.addAll(wantedSet, wanted);
        }
        // with wanted inputs, only nodes with an input on a path to one of them are differentiated:
        // nothing below the wanted tensors runs (a backward rule that differentiates a local graph
        // built on its own inputs would otherwise re-run every earlier layer, once per layer)
        Set<Tensor> reachesWanted = wanted == null ? null : Collections.newSetFromMap(new IdentityHashMap<>());
        if (reachesWanted != null) {
            for (Tensor node : order) {
                if (wantedSet.contains(node) || inputReaches(node, reachesWanted)) {
                    reachesWanted.add(node);
                }
            }
        }
        try (GradMode.Scope scope = GradMode.set(createGraph)) {
            for (int i = 0; i < outputs.length; i++) {
                Tensor seed;
                if (seeds == null || seeds[i] == null) {
                    if (outputs[i].length() != 1) {
                        throw new IllegalArgumentException("grad: outputs[" + i + "] has shape "
                                + Shapes.str(outputs[i].shape()) + "; pass gradOutputs for a non-scalar output");
                    }
                    seed = Tensor.ones(outputs[i].dtype(), outputs[i].shape());
                } else {
                    if (!java.util.Arrays.equals(seeds[i].shape(), outputs[i].shape())) {
                        throw new IllegalArgumentException("grad: gradOutputs[" + i + "] expected shape "
                                + Shapes.str(outputs[i].shape()) + " but got " + Shapes.str(seeds[i].shape()));
                    }
                    seed = seeds[i];
                }
                accumulate(grads, outputs[i], seed);
            }
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor node = order.get(k);
                Tensor g = grads.get(node);
                if (g == null || node.isLeaf()) {
                    continue;
                }
                if (reachesWanted != null && !inputReaches(node, reachesWanted)) {
                    if (!wantedSet.contains(node)) {
                        grads.remove(node);
                    }
                    if (!retain) {
                        node.releaseGraph();
                    }
                    continue;
                }
                Tensor[] in = node.inputs();
                Tensor[] gin = node.backwardRule().apply(g);
                for (int i = 0; i < in.length; i++) {
                    if (in[i] != null && in[i].requiresGrad() && gin[i] != null) {
                        if (!java.util.Arrays.equals(gin[i].shape(), in[i].shape())) {
                            throw new IllegalStateException("backward of " + node.op() + ": gradient for input " + i
                                    + " has shape " + Shapes.str(gin[i].shape()) + " but the input has "
                                    + Shapes.str(in[i].shape()));
                        }
                        accumulate(grads, in[i], gin[i]);
                    }
                }
                if (!wantedSet.contains(node)) {
                    grads.remove(node);
                }
                if (!retain) {
                    node.releaseGraph();
                }
            }
        }
        return grads;
    }

    private static boolean inputReaches(Tensor node, Set<Tensor> reachesWanted) {
        if (node.isLeaf()) {
            return false;
        }
        for (Tensor in : node.inputs()) {
            if (in != null && reachesWanted.contains(in)) {
                return true;
            }
        }
        return false;
    }

    private static void accumulate(Map<Tensor, Tensor> grads, Tensor t, Tensor g) {
        Tensor prev = grads.get(t);
        grads.put(t, prev == null ? g : prev.add(g));
    }

    /** Nodes reachable from the outputs that require a gradient, inputs before users. */
    private static List<Tensor> topologicalOrder(Tensor[] outputs) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (Tensor out : outputs) {
            if (out.requiresGrad() && visited.add(out)) {
                stack.push(new Object[] {out, 0});
            }
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                Tensor t = (Tensor) frame[0];
                int next = (Integer) frame[1];
                Tensor[] in = t.isLeaf() ? new Tensor[0] : t.inputs();
                if (next < in.length) {
                    frame[1] = next + 1;
                    Tensor child = in[next];
                    if (child != null && child.requiresGrad() && visited.add(child)) {
                        stack.push(new Object[] {child, 0});
                    }
                } else {
                    stack.pop();
                    order.add(t);
                }
            }
        }
        return order;
    }
}
