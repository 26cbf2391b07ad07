package io.structflow.layers;

import io.structflow.constraints.guarantee.Guarantees;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.VectorField;
import io.structflow.layers.fields.LayerField;
import io.structflow.layers.fields.StepRange;
import io.structflow.layers.fields.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One ODE step as a layer, [CMOSS] (1.2): {@code S} sub-steps of {@code integrator} on
 * {@code field}, each of size {@code h/S},
 * <pre>  x ↦ φ_{h/S} ∘ … ∘ φ_{h/S}(x)</pre>
 * computed by {@link Integrator#steps} (explicit Euler chooses its fused kernel for gradient-form
 * fields). A field that is a {@link Module} is registered as the child {@code "field"}; a
 * learnable step of its own as the parameter {@code "h"}, or the step is one entry of a parameter
 * that a block shares among its layers ({@link #sharedStep}).
 *
 * <p><b>Properties</b> are derived by the one rule table {@link PropertyRules} from the field's and
 * the integrator's published traits and from what the step's constraints guarantee
 * ({@link Parameter#guarantees()}): a claim is a theorem about the parameters after projection,
 * tolerances included, never resting on an estimate. {@link #require} refuses a pairing that
 * cannot hold a wanted property and says why; {@link #explain} gives every verdict.
 *
 * <p><b>Lipschitz bound</b> ({@link #lipschitzBound()}), at the current parameters: the S-th power
 * of the sub-step bound of {@link PropertyRules#substepBound} (the spectral bound for gradient
 * fields under explicit Euler, otherwise the integrator's bound from the field's certified
 * Lipschitz bound), with every norm a certified upper bound.
 *
 * @param <F> the field type
 */
public final class FlowLayer<F extends VectorField> extends Module implements LipschitzBounded, Structured, Invertible, Exportable {
    private final F field;
    private final Integrator<? super F> integrator;
    private final Parameter step;
    private final long[] stepIndex;
    private final int substeps;
    private final boolean learnable;

    /**
     * A layer with a learnable step.
     *
     * @param field      the vector field
     * @param integrator the one-step method
     * @param step       the step h, one element of the field's type (registered as {@code "h"})
     * @param substeps   number of sub-steps S ≥ 1, each of size h/S
     * @throws IllegalArgumentException if an argument is null, the step has more than one element
     *                                  or another type than the field
     */
    public FlowLayer(F field, Integrator<? super F> integrator, Parameter step, int substeps) {
        this(field, integrator, step, null, substeps, true);
    }

    private FlowLayer(F field, Integrator<? super F> integrator, Parameter step, long[] stepIndex, int substeps,
                      boolean learnable) {
        if (field == null || integrator == null || step == null) {
            throw new IllegalArgumentException("FlowLayer: field, integrator and step expected non-null but got "
                    + (field == null ? "field" : integrator == null ? "integrator" : "step") + " = null");
        }
        if (stepIndex == null && step.length() != 1) {
            throw new IllegalArgumentException("FlowLayer: step expected one element but got shape "
                    + Shapes.str(step.shape()));
        }
        if (stepIndex != null && (stepIndex.length != step.rank() || !inside(stepIndex, step.shape()))) {
            throw new IllegalArgumentException("FlowLayer: step index expected a position in "
                    + Shapes.str(step.shape()) + " but got " + Arrays.toString(stepIndex));
        }
        if (substeps < 1) {
            throw new IllegalArgumentException("FlowLayer: substeps expected ≥ 1 but got " + substeps);
        }
        if (field instanceof LayerField lf && lf.dtype() != step.dtype()) {
            throw new IllegalArgumentException("FlowLayer: step expected element type " + lf.dtype()
                    + " (the field's) but got " + step.dtype());
        }
        this.field = field;
        this.integrator = integrator;
        this.step = step;
        this.stepIndex = stepIndex == null ? null : stepIndex.clone();
        this.substeps = substeps;
        this.learnable = learnable;
        if (field instanceof Module m) {
            register("field", m);
        }
        if (learnable && stepIndex == null) {
            register("h", step);
        }
    }

    private static boolean inside(long[] index, long[] shape) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A layer with a fixed (not learnable, not registered) step h.
     *
     * @param type the element type of the step (must match the field's)
     */
    public static <F extends VectorField> FlowLayer<F> fixedStep(F field, Integrator<? super F> integrator, double h,
                                                                 int substeps, DataType type) {
        if (!Double.isFinite(h)) {
            throw new ArithmeticException("FlowLayer.fixedStep: h expected a finite step but got " + h);
        }
        Parameter p = new Parameter("h", Nd4j.scalar(h).castTo(type).reshape(1));
        return new FlowLayer<>(field, integrator, p, null, substeps, false);
    }

    /** A layer with a fixed step h of the field's element type (float32 for fields that do not say). */
    public static <F extends VectorField> FlowLayer<F> fixedStep(F field, Integrator<? super F> integrator, double h,
                                                                 int substeps) {
        DataType type = field instanceof LayerField lf ? lf.dtype() : DataType.FLOAT;
        return fixedStep(field, integrator, h, substeps, type);
    }

    /**
     * A layer whose step is the entry {@code index} of {@code steps}, a parameter that its owner (a
     * block) registers and constrains: the layer reads the entry, differentiably, and derives its
     * properties from the guarantees of {@code steps}.
     */
    public static <F extends VectorField> FlowLayer<F> sharedStep(F field, Integrator<? super F> integrator,
                                                                  Parameter steps, long[] index, int substeps) {
        if (index == null) {
            throw new IllegalArgumentException("FlowLayer.sharedStep: index expected a position but got null");
        }
        return new FlowLayer<>(field, integrator, steps, index, substeps, true);
    }

    /** A learnable step parameter named {@code "h"} with initial value {@code h}, shape {@code [1]}. */
    public static Parameter stepParameter(double h, DataType type) {
        return new Parameter("h", Nd4j.scalar(h).castTo(type).reshape(1));
    }

    /** The field. */
    public F field() {
        return field;
    }

    /** The integrator. */
    public Integrator<? super F> integrator() {
        return integrator;
    }

    /** The step parameter h (registered only when learnable and not shared). */
    public Parameter step() {
        return step;
    }

    /** Number of sub-steps S. */
    public int substeps() {
        return substeps;
    }

    /** Whether the step is trained. */
    public boolean learnableStep() {
        return learnable;
    }

    /** The current h. */
    public double stepValue() {
        return stepIndex == null ? step.value().getDouble(0) : step.value().getDouble(stepIndex);
    }

    /** The sub-step h/S as a one-element tensor, differentiable in the step parameter. */
    private Tensor substep() {
        Tensor h = stepIndex == null ? step : step.region(stepIndex, ones(stepIndex.length));
        return substeps == 1 ? h : h.mul(1.0 / substeps);
    }

    private static long[] ones(int n) {
        long[] o = new long[n];
        Arrays.fill(o, 1);
        return o;
    }

    private void checkInput(String where, Tensor x) {
        if (field instanceof LayerField lf) {
            lf.checkInput(where, x);
        } else if (x == null) {
            throw new IllegalArgumentException(where + ": x expected a tensor but got null");
        }
    }

    /**
     * The S sub-steps.
     *
     * @param x inputs, the field's input shape ({@code [batch, n]} or {@code [batch, C, H, W]}); not mutated
     * @return the layer's output, the shape of x; differentiable in x, the field's parameters and h
     * @throws IllegalArgumentException on a wrong shape or element type (the message names both shapes)
     */
    @Override
    public Tensor forward(Tensor x) {
        checkInput("FlowLayer.forward", x);
        return integrator.steps(field, x, substep(), substeps);
    }

    /**
     * The exact inverse, when {@link Property#INVERTIBLE} holds (the rule that grants it gives the
     * map: the explicit adjoint with step −h/S, or the shears undone in reverse order).
     *
     * @throws UnsupportedOperationException when no exact inverse is known (with the reason)
     */
    @Override
    public Tensor inverse(Tensor y) {
        PropertyRules.Pairing pairing = pairing();
        Verdict v = PropertyRules.verdict(Property.INVERTIBLE, pairing);
        if (!v.holds()) {
            throw new UnsupportedOperationException("FlowLayer.inverse: " + v.reason());
        }
        checkInput("FlowLayer.inverse", y);
        Function<Tensor, Tensor> undo = PropertyRules.inverse(pairing, substep()).orElseThrow();
        Tensor x = y;
        for (int i = 0; i < substeps; i++) {
            x = undo.apply(x);
        }
        return x;
    }

    /** What is known of h: its fixed value, or the interval its constraints guarantee. */
    public StepRange range() {
        double current = stepValue();
        if (!learnable) {
            return new StepRange(current, current, current, substeps, false, List.of(), true,
                    "the fixed value h = " + current);
        }
        List<Guarantee> guarantees = step.guarantees();
        double[] interval = Guarantees.entryInterval(step);
        String origin = "its constraints " + describe(step.constraints()) + (guarantees.isEmpty() ? ", which guarantee nothing"
                : ", which guarantee " + guarantees.stream().map(Guarantee::describe).toList());
        return new StepRange(interval[0], interval[1], current, substeps, true, guarantees, step.insideConstraints(),
                origin);
    }

    private static String describe(List<Constraint> constraints) {
        return constraints.stream().map(Constraint::describe).toList().toString();
    }

    /** The pairing the rules judge now: this field, this integrator, what is known of the step. */
    PropertyRules.Pairing pairing() {
        return new PropertyRules.Pairing(field, integrator, range());
    }

    /** The properties guaranteed now, see the class documentation. */
    @Override
    public Set<Property> properties() {
        PropertyRules.Pairing pairing = pairing();
        Set<Property> out = EnumSet.noneOf(Property.class);
        for (Property p : Property.values()) {
            if (PropertyRules.verdict(p, pairing).holds()) {
                out.add(p);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** For each property, whether it holds and why (or why not). */
    public Map<Property, Verdict> explain() {
        PropertyRules.Pairing pairing = pairing();
        Map<Property, Verdict> out = new EnumMap<>(Property.class);
        for (Property p : Property.values()) {
            out.put(p, PropertyRules.verdict(p, pairing));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Checks that every wanted property holds.
     *
     * @return this layer
     * @throws IllegalArgumentException naming each property that cannot hold and why
     */
    public FlowLayer<F> require(Property... wanted) {
        PropertyRules.Pairing pairing = pairing();
        List<String> missing = new ArrayList<>();
        for (Property p : wanted) {
            Verdict v = PropertyRules.verdict(Objects.requireNonNull(p, "FlowLayer.require: property"), pairing);
            if (!v.holds()) {
                missing.add(p + ": " + v.reason());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("FlowLayer(" + describe() + ").require: " + String.join("; ", missing));
        }
        return this;
    }

    /** {@code field × integrator, S sub-steps}. */
    public String describe() {
        return field.getClass().getSimpleName() + " × " + integrator.name() + ", " + substeps + " sub-step"
                + (substeps == 1 ? "" : "s");
    }

    /** The S-th power of the current sub-step's certified bound; +∞ if unknown. */
    @Override
    public double lipschitzBound() {
        double one = PropertyRules.substepBound(field, integrator, stepValue() / substeps);
        return one == 1 ? 1 : Math.pow(one, substeps);
    }

    /**
     * The S sub-steps written out from the integrator's Butcher tableau
     * ({@link io.structflow.integrators.ButcherTableau#appendStep}) with the field's own graph for f
     * and the current step h/S as a constant.
     *
     * @throws UnsupportedOperationException naming the integrator if it publishes no explicit
     *                                       tableau (an implicit solve, a partitioned or splitting
     *                                       method), or the field if it is not a module
     */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        var tableau = integrator.tableau().orElseThrow(() -> new UnsupportedOperationException("integrator "
                + integrator.name() + " publishes no explicit Butcher tableau, so its step (an implicit solve or a "
                + "partitioned/splitting method) has no exact inference graph; explicit Runge-Kutta methods have one"));
        if (!(field instanceof Module m)) {
            throw new UnsupportedOperationException("field " + field.getClass().getSimpleName()
                    + " is not a module, so it cannot describe its inference graph");
        }
        double h = stepValue() / substeps;
        InferenceGraph.Value y = x;
        for (int i = 0; i < substeps; i++) {
            y = tableau.appendStep(graph, v -> graph.apply("field", m, v), y, h);
        }
        return y;
    }
}
