package io.structflow.core.nn;

import io.structflow.core.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A differentiable map with named parameters and sub-modules (PyTorch's {@code nn.Module}).
 *
 * <p>Parameters and children are registered in construction order; {@link #namedParameters()}
 * lists them depth first with stable dotted names ({@code blocks.3.field.A}), the names used in
 * checkpoints.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    /** Applies the module to a batch. */
    public abstract Tensor forward(Tensor x);

    /** Registers a parameter under a local name (unique within this module). */
    protected final Parameter register(String name, Parameter p) {
        checkName(name);
        parameters.put(name, p);
        return p;
    }

    /** Registers a child module under a local name (unique within this module). */
    protected final <M extends Module> M register(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".") || parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".register: name expected non-empty, "
                    + "without '.', and unused but got \"" + name + "\"");
        }
    }

    /** Every parameter of this module and its descendants, by dotted name, in a fixed order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p));
        children.forEach((n, m) -> m.collect(prefix + n + ".", out));
    }

    /** Parameters in {@link #namedParameters()} order. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Direct children by local name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Clears every parameter's accumulated gradient. */
    public final void zeroGrad() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }

    /** Total number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.length();
        }
        return n;
    }
}
