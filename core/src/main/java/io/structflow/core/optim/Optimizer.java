package io.structflow.core.optim;

import io.structflow.core.autodiff.NativeKernel;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.ParameterBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A first-order optimiser over a fixed, named list of parameters, followed by projection:
 * <pre>
 *   θ ← P_C(θ − Δ(∇θ L, state))
 * </pre>
 * where {@code Δ} is the method's update (plain or momentum SGD, Adam) and {@code P_C} applies
 * every {@link io.structflow.core.nn.Constraint} attached to a parameter, in attach order — the
 * projected gradient descent that keeps a constrained network inside the set where its
 * guarantee holds ([CMOSS] §3.1: the step sizes are projected onto the non-expansive region
 * (3.10) after every update).
 *
 * <p>Updates are written in place into each parameter's own storage, so the parameter's
 * identity — and every reference to it — survives a step. State (momentum buffers, moment
 * estimates, per-parameter step counters) is kept apart from the immutable hyper-parameter
 * record, in arrays named {@code "<dotted parameter name>/<slot>"} ({@code "0.weight/exp_avg"}),
 * and can be exported with {@link #state()} and restored with {@link #loadState(Map)}.
 *
 * <p>The parameters are gathered into one {@link ParameterBuffer} when they share an element
 * type, and the optimiser's state slots of the parameters' shape into flat arrays laid out the
 * same way: a step in which every parameter has a gradient is then a few native calls on the flat
 * arrays ({@link #updateAll(INDArray, INDArray)}), whatever the number of parameters. Otherwise
 * (a parameter without gradient, mixed element types, parameters since moved into another
 * optimiser's buffer) each parameter is updated on its own by
 * {@link #update(String, Parameter, INDArray)}, with the same arithmetic.
 *
 * <p>Subclasses implement both updates and declare their slots.
 */
public abstract class Optimizer {
    /** Separator between a parameter's dotted name and a slot name in state keys. */
    public static final String SLOT_SEPARATOR = "/";

    private final Map<String, Parameter> parameters;
    private final Map<String, INDArray> state = new LinkedHashMap<>();
    private final ParameterBuffer buffer;
    private final Map<String, INDArray> flatState = new LinkedHashMap<>();
    private final INDArray flatGradientSum;
    private final NativeKernel flatFiniteCheck = NativeKernel.of("reduce_sum");
    private double learningRate;

    /**
     * @param owner        the optimiser's class name, for messages
     * @param parameters   parameters by unique dotted name, in update order
     * @param learningRate initial rate, finite and ≥ 0
     */
    protected Optimizer(String owner, Map<String, Parameter> parameters, double learningRate) {
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException(owner + ": parameters expected at least one parameter but got "
                    + (parameters == null ? "null" : "none"));
        }
        Map<Parameter, String> seen = new IdentityHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException(owner + ": parameter \"" + e.getKey() + "\" expected non-null but got null");
            }
            String previous = seen.put(e.getValue(), e.getKey());
            if (previous != null) {
                throw new IllegalArgumentException(owner + ": parameters expected distinct but \"" + previous
                        + "\" and \"" + e.getKey() + "\" are the same parameter");
            }
        }
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        Hyper.requireRate(owner, "learning rate", learningRate);
        this.learningRate = learningRate;
        this.buffer = gather(this.parameters.values());
        this.flatGradientSum = buffer == null ? null : Nd4j.scalar(buffer.dataType(), 0.0);
    }

    /**
     * The parameters' flat buffer: the one they already share if it holds exactly them in this
     * order, else a new one; null if their element types differ.
     */
    private static ParameterBuffer gather(Collection<Parameter> ps) {
        List<Parameter> list = new ArrayList<>(ps);
        DataType type = list.get(0).dtype();
        for (Parameter p : list) {
            if (p.dtype() != type) {
                return null;
            }
        }
        ParameterBuffer current = list.get(0).buffer();
        if (current != null && current.holdsAll() && current.parameters().equals(list)) {
            return current;
        }
        return ParameterBuffer.of(list);
    }

    /** The parameters of {@code model} by their dotted names. */
    protected static Map<String, Parameter> named(Module model) {
        if (model == null) {
            throw new IllegalArgumentException("Optimizer: model expected non-null but got null");
        }
        return model.namedParameters();
    }

    /** The optimised parameters by dotted name, in update order (unmodifiable). */
    public final Map<String, Parameter> parameters() {
        return parameters;
    }

    /** The current learning rate. */
    public final double learningRate() {
        return learningRate;
    }

    /** Sets the learning rate used by the following steps (a schedule calls this each epoch). */
    public final void setLearningRate(double rate) {
        Hyper.requireRate(getClass().getSimpleName() + ".setLearningRate", "rate", rate);
        learningRate = rate;
    }

    /** Forgets the accumulated gradient of every parameter. */
    public final void zeroGrad() {
        for (Parameter p : parameters.values()) {
            p.zeroGrad();
        }
    }

    /**
     * One optimisation step: {@link #updateParameters()}, then {@link #projectParameters()}.
     *
     * @throws ArithmeticException if a gradient holds NaN or ±∞; it names the parameter and the
     *         first bad index and is thrown before any parameter or state is changed
     */
    public final void step() {
        updateParameters();
        projectParameters();
    }

    /**
     * The update half of {@link #step()}: updates every parameter that has a gradient and leaves
     * the constraints alone (for loops that project less often, or time the projection apart).
     *
     * @throws ArithmeticException if a gradient holds NaN or ±∞; it names the parameter and the
     *         first bad index and is thrown before any parameter or state is changed
     */
    public final void updateParameters() {
        if (buffer != null && buffer.holdsAll() && buffer.allHaveGradients() && flatGradientsFinite()
                && updateAll(buffer.values(), buffer.gradients())) {
            return;
        }
        List<Map.Entry<String, Parameter>> active = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            INDArray g = e.getValue().grad();
            if (g != null) {
                requireFiniteGradient(e.getKey(), e.getValue(), g);
                active.add(e);
            }
        }
        for (Map.Entry<String, Parameter> e : active) {
            update(e.getKey(), e.getValue(), e.getValue().grad());
        }
    }

    /**
     * The projection half of {@link #step()}: applies every parameter's constraints in attach
     * order ([CMOSS] §3.1, projected gradient descent).
     *
     * @throws ArithmeticException if a constrained parameter holds NaN or ±∞
     */
    public final void projectParameters() {
        for (Parameter p : parameters.values()) {
            p.projectInPlace();
        }
    }

    /**
     * One reduction over the flat gradients: true if their sum is finite (then every entry is).
     * False sends the step down the per-parameter path, whose checks name the bad parameter (or
     * find none when the sum merely overflowed, and update as usual).
     */
    private boolean flatGradientsFinite() {
        flatFiniteCheck.run(new INDArray[] {buffer.gradients()}, new INDArray[] {flatGradientSum});
        return Double.isFinite(flatGradientSum.getDouble(0));
    }

    private final Map<Parameter, INDArray> finiteChecks = new java.util.IdentityHashMap<>();
    private final Map<Parameter, NativeKernel> finiteKernels = new java.util.IdentityHashMap<>();

    private NativeKernel finiteCheck(Parameter p) {
        return finiteKernels.computeIfAbsent(p, q -> NativeKernel.of("reduce_sum"));
    }

    private void requireFiniteGradient(String name, Parameter p, INDArray g) {
        if (!Arrays.equals(g.shape(), p.value().shape())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".step: gradient of parameter \"" + name
                    + "\" expected shape " + Shapes.str(p.value().shape()) + " but got " + Shapes.str(g.shape()));
        }
        // One reduction decides the common case: the sum of finite values is finite unless it
        // overflows, and then the exact scan below finds no bad entry and the step proceeds.
        INDArray total = finiteChecks.computeIfAbsent(p, q -> Nd4j.scalar(g.dataType(), 0.0));
        finiteCheck(p).run(new INDArray[] {g}, new INDArray[] {total});
        if (Double.isFinite(total.getDouble(0))) {
            return;
        }
        if (g.isNaN().any() || g.isInfinite().any()) {
            double[] d = g.dup('c').castTo(DataType.DOUBLE).data().asDouble();
            int i = 0;
            while (i < d.length && Double.isFinite(d[i])) {
                i++;
            }
            throw new ArithmeticException(getClass().getSimpleName() + ".step: gradient of parameter \"" + name
                    + "\" holds " + (i < d.length ? d[i] : Double.NaN) + " at flat index " + i
                    + "; no parameter was changed");
        }
    }

    /**
     * Updates one parameter in place from its gradient (finite, same shape as the parameter).
     * Uses {@link #learningRate()} and the slots from {@link #slot(String, Parameter, String)}.
     *
     * @param name dotted name of the parameter
     * @param p    the parameter, written in place
     * @param grad its gradient, not to be written
     */
    protected abstract void update(String name, Parameter p, INDArray grad);

    /**
     * Updates every parameter at once from the flat arrays of its {@link ParameterBuffer} (every
     * parameter has a finite gradient): the same arithmetic as
     * {@link #update(String, Parameter, INDArray)} applied to all, with state from
     * {@link #flatSlot(String)}.
     *
     * @param theta the flat values, written in place
     * @param grad  the flat gradients, not to be written
     * @return false, having changed nothing, if this step needs the per-parameter path (e.g. Adam's
     *         step counters differ between parameters)
     */
    protected abstract boolean updateAll(INDArray theta, INDArray grad);

    /**
     * The flat state array {@code slot} laid out like the parameter buffer, created on first use
     * from the per-parameter slots so far (zeros where there were none); from then on the
     * per-parameter slots of {@link #slot(String, Parameter, String)} are views of it. Only for
     * slots of the parameters' shape and type.
     */
    protected final INDArray flatSlot(String slot) {
        INDArray flat = flatState.get(slot);
        if (flat != null) {
            return flat;
        }
        flat = Nd4j.zeros(buffer.dataType(), buffer.length());
        List<String> names = new ArrayList<>(parameters.keySet());
        for (int i = 0; i < names.size(); i++) {
            String key = names.get(i) + SLOT_SEPARATOR + slot;
            INDArray view = buffer.view(flat, i);
            INDArray before = state.get(key);
            if (before != null) {
                view.assign(before);
            }
            state.put(key, view);
        }
        flatState.put(slot, flat);
        return flat;
    }

    /** The names of this optimiser's state slots per parameter (e.g. {@code momentum_buffer}). */
    protected abstract List<String> slotNames();

    /** Shape of a slot of {@code p}: the parameter's shape unless overridden (e.g. a rank-0 step counter). */
    protected long[] slotShape(Parameter p, String slot) {
        return p.shape();
    }

    /** Element type of a slot of {@code p}: the parameter's type unless overridden. */
    protected DataType slotType(Parameter p, String slot) {
        return p.dtype();
    }

    /**
     * The state array {@code slot} of parameter {@code name}, created as zeros on first use.
     * The returned array is the live state (subclasses update it in place).
     */
    protected final INDArray slot(String name, Parameter p, String slot) {
        return state.computeIfAbsent(name + SLOT_SEPARATOR + slot,
                k -> Nd4j.zeros(slotType(p, slot), slotShape(p, slot)));
    }

    /**
     * A copy of the optimiser state, keyed {@code "<parameter>/<slot>"}; only slots created so
     * far appear (a parameter that never had a gradient has none).
     */
    public Map<String, INDArray> state() {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        state.forEach((k, v) -> copy.put(k, v.dup('c')));
        return copy;
    }

    /**
     * Replaces the optimiser state by (copies of) {@code saved}, as exported by {@link #state()}.
     * Everything is validated before anything changes.
     *
     * @throws IllegalArgumentException naming the key if a parameter or slot is unknown, or a
     *         shape or element type does not match this optimiser's parameters
     */
    public void loadState(Map<String, INDArray> saved) {
        String where = getClass().getSimpleName() + ".loadState";
        if (saved == null) {
            throw new IllegalArgumentException(where + ": state expected non-null but got null");
        }
        Map<String, INDArray> fresh = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : saved.entrySet()) {
            String key = e.getKey();
            int cut = key.lastIndexOf(SLOT_SEPARATOR);
            String name = cut < 0 ? key : key.substring(0, cut);
            String slot = cut < 0 ? "" : key.substring(cut + 1);
            Parameter p = parameters.get(name);
            if (p == null) {
                throw new IllegalArgumentException(where + ": key \"" + key + "\" names no parameter of this optimiser"
                        + " (parameters: " + parameters.keySet() + ")");
            }
            if (!slotNames().contains(slot)) {
                throw new IllegalArgumentException(where + ": key \"" + key + "\" expected a slot in " + slotNames()
                        + " but got \"" + slot + "\"");
            }
            INDArray v = e.getValue();
            long[] shape = slotShape(p, slot);
            if (v == null || !Arrays.equals(v.shape(), shape)) {
                throw new IllegalArgumentException(where + ": \"" + key + "\" expected shape " + Shapes.str(shape)
                        + " but got " + (v == null ? "null" : Shapes.str(v.shape())));
            }
            if (v.dataType() != slotType(p, slot)) {
                throw new IllegalArgumentException(where + ": \"" + key + "\" expected element type "
                        + slotType(p, slot) + " but got " + v.dataType());
            }
            fresh.put(key, v.dup('c'));
        }
        state.clear();
        state.putAll(fresh);
        flatState.clear();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(lr=" + learningRate + ", " + parameters.size() + " parameters)";
    }
}
