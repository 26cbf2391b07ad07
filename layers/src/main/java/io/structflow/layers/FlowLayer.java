package io.structflow.layers;

import io.structflow.constraints.project.StepBox;
import io.structflow.core.autodiff.Shapes;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.HamiltonianField;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.SeparableHamiltonian;
import io.structflow.integrators.SkewField;
import io.structflow.integrators.Structure;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.symplectic.StormerVerlet;
import io.structflow.integrators.symplectic.SymplecticEuler;
import io.structflow.layers.fields.FusedEulerField;
import io.structflow.layers.fields.LayerField;
import io.structflow.layers.fields.ReversibleField;
import io.structflow.layers.fields.StepRange;
import io.structflow.layers.fields.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One ODE step as a layer, [CMOSS] (1.2): {@code S} sub-steps of {@code integrator} on
 * {@code field}, each of size {@code h/S},
 * <pre>  x ↦ φ_{h/S} ∘ … ∘ φ_{h/S}(x)</pre>
 * The field's parameters are registered as the child {@code "field"}, a learnable step as the
 * parameter {@code "h"}. With explicit Euler on a {@link FusedEulerField} (the dense and
 * convolutional gradient fields) each sub-step is one fused kernel
 * ({@link io.structflow.core.autodiff.FusedGradientFlow}); any other pairing calls
 * {@link Integrator#step}.
 *
 * <p><b>Properties</b> are derived from the field, the integrator and what is known of the step
 * (its fixed value, or the constraints attached to it: {@link StepBox},
 * {@link io.structflow.constraints.project.EulerStepBound}), see the package table:
 * {@code SYMPLECTIC} for a {@link HamiltonianField} under an integrator whose
 * {@link Integrator#structure()} has {@link Structure#SYMPLECTIC}; {@code VOLUME_PRESERVING} for
 * symplectic steps, integrators with {@link Structure#VOLUME_PRESERVING}, and shear splittings of
 * divergence-free fields; {@code NORM_PRESERVING} for a {@link SkewField} under an integrator with
 * {@link Structure#NORM_PRESERVING} or {@link Structure#QUADRATIC_INVARIANTS};
 * {@code INVERTIBLE} for symplectic Euler and Störmer–Verlet on a separable Hamiltonian (inverse:
 * the adjoint method with step {@code −h}) and for fields that are {@link ReversibleField}s;
 * {@code LIPSCHITZ_1} and {@code MASS_PRESERVING} from the field's own rules
 * ({@link LayerField#guarantee}). {@link #require} refuses a pairing that cannot hold a wanted
 * property and says why.
 *
 * <p><b>Lipschitz bound</b> ({@link #lipschitzBound()}), at the current step: the product over the
 * S sub-steps of the field's one-step bound ({@link LayerField#stepLipschitzBound}): for explicit
 * Euler on gradient fields {@code max(1, |1 + sτc²σ'_max|)} (1 for a contractive field with
 * {@code τ ≤ 2/c²}, {@code 1 + τc²} for an expansive one), for explicit Runge–Kutta methods the
 * stage-wise bound ({@code 1 + τL_f} for Euler), otherwise {@code +∞}.
 *
 * @param <F> the field type
 */
public final class FlowLayer<F extends VectorField> extends Module implements LipschitzBounded, Structured, Invertible {
    private final F field;
    private final Integrator<? super F> integrator;
    private final Parameter step;
    private final int substeps;
    private final boolean learnable;

    /**
     * A layer with a learnable step.
     *
     * @param field      the vector field; must be a {@link Module}
     * @param integrator the one-step method
     * @param step       the step h, one element of the field's type (registered as {@code "h"})
     * @param substeps   number of sub-steps S ≥ 1, each of size h/S
     * @throws IllegalArgumentException if an argument is null, the field is not a Module, the step
     *                                  has more than one element or another type than the field
     */
    public FlowLayer(F field, Integrator<? super F> integrator, Parameter step, int substeps) {
        this(field, integrator, step, substeps, true);
    }

    private FlowLayer(F field, Integrator<? super F> integrator, Parameter step, int substeps, boolean learnable) {
        if (field == null || integrator == null || step == null) {
            throw new IllegalArgumentException("FlowLayer: field, integrator and step expected non-null but got "
                    + (field == null ? "field" : integrator == null ? "integrator" : "step") + " = null");
        }
        if (!(field instanceof Module)) {
            throw new IllegalArgumentException("FlowLayer: field expected a Module (so its parameters can be "
                    + "registered) but got " + field.getClass().getName());
        }
        if (step.length() != 1) {
            throw new IllegalArgumentException("FlowLayer: step expected one element but got shape "
                    + Shapes.str(step.shape()));
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
        this.substeps = substeps;
        this.learnable = learnable;
        register("field", (Module) field);
        if (learnable) {
            register("h", step);
        }
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
        return new FlowLayer<>(field, integrator, p, substeps, false);
    }

    /** A layer with a fixed step h of the field's element type (float32 for fields that do not say). */
    public static <F extends VectorField> FlowLayer<F> fixedStep(F field, Integrator<? super F> integrator, double h,
                                                                 int substeps) {
        DataType type = field instanceof LayerField lf ? lf.dtype() : DataType.FLOAT;
        return fixedStep(field, integrator, h, substeps, type);
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

    /** The step parameter h (registered only when learnable). */
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

    private Tensor substep() {
        return substeps == 1 ? step : step.mul(1.0 / substeps);
    }

    private boolean fused() {
        return field instanceof FusedEulerField && LayerField.isExplicitEuler(integrator);
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
        if (field instanceof LayerField lf) {
            lf.checkInput("FlowLayer.forward", x);
        } else if (x == null) {
            throw new IllegalArgumentException("FlowLayer.forward: x expected a tensor but got null");
        }
        Tensor tau = substep();
        Tensor y = x;
        if (fused()) {
            y = ((FusedEulerField) field).eulerSteps(y, tau, substeps);
        } else {
            for (int i = 0; i < substeps; i++) {
                y = integrator.step(field, y, tau);
            }
        }
        return y;
    }

    /**
     * The exact inverse, when {@link Property#INVERTIBLE} holds: the adjoint symplectic Euler
     * variant (or Störmer–Verlet) with step {@code −h/S} for separable Hamiltonians, the field's
     * own inverse for {@link ReversibleField}s.
     *
     * @throws UnsupportedOperationException when no exact inverse is known (with the reason)
     */
    @Override
    public Tensor inverse(Tensor y) {
        Verdict v = verdict(Property.INVERTIBLE, range());
        if (!v.holds()) {
            throw new UnsupportedOperationException("FlowLayer.inverse: " + v.reason());
        }
        if (field instanceof LayerField lf) {
            lf.checkInput("FlowLayer.inverse", y);
        }
        Tensor tau = substep();
        Tensor x = y;
        for (int i = 0; i < substeps; i++) {
            x = inverseStep(x, tau);
        }
        return x;
    }

    @SuppressWarnings("unchecked")
    private Tensor inverseStep(Tensor y, Tensor tau) {
        if (field instanceof SeparableHamiltonian sh) {
            if (integrator instanceof SymplecticEuler se) {
                SymplecticEuler adjoint = new SymplecticEuler(se.variant() == SymplecticEuler.Variant.P_FIRST
                        ? SymplecticEuler.Variant.Q_FIRST : SymplecticEuler.Variant.P_FIRST);
                return adjoint.step(sh, y, tau.neg());
            }
            if (integrator instanceof StormerVerlet sv) {
                return sv.step(sh, y, tau.neg());
            }
        }
        return ((ReversibleField) field).inverseStep(integrator, y, tau);
    }

    /** What is known of h: its fixed value, or the interval its {@link StepBox}es keep it in. */
    public StepRange range() {
        double current = step.value().getDouble(0);
        if (!learnable) {
            return new StepRange(current, current, current, substeps, false, List.of(), "the fixed value h = " + current);
        }
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        List<String> described = new ArrayList<>();
        for (Constraint c : step.constraints()) {
            described.add(c.describe());
            if (c instanceof StepBox box) {
                double[] interval = probe(box);
                lo = Math.max(lo, interval[0]);
                hi = Math.min(hi, interval[1]);
            }
        }
        String origin = described.isEmpty() ? "no constraint" : "the constraints [" + String.join("; ", described) + "]";
        return new StepRange(lo, hi, current, substeps, true, step.constraints(), origin);
    }

    /**
     * Reads [lo, hi] of a StepBox from its violation {@code max(0, lo − h, h − hi)} at two probe
     * points: exact for |lo|, |hi| below 1e3; larger bounds are read as ±∞ (conservative).
     */
    private static double[] probe(StepBox box) {
        double far = 1e3;
        Parameter p = new Parameter("probe", Nd4j.scalar(-1.0).reshape(1));
        double lo = box.violation(p) - 1;
        p.updateInPlace(Nd4j.scalar(far).reshape(1));
        double vHigh = box.violation(p);
        double hi = vHigh <= 0 ? Double.POSITIVE_INFINITY : far - vHigh;
        if (lo > hi || lo <= -1) {
            lo = Double.NEGATIVE_INFINITY;
        }
        return new double[] {lo, hi};
    }

    /** The properties guaranteed now, see the class documentation. */
    @Override
    public Set<Property> properties() {
        StepRange r = range();
        Set<Property> out = EnumSet.noneOf(Property.class);
        for (Property p : Property.values()) {
            if (verdict(p, r).holds()) {
                out.add(p);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** For each property, whether it holds and why (or why not). */
    public Map<Property, Verdict> explain() {
        StepRange r = range();
        Map<Property, Verdict> out = new EnumMap<>(Property.class);
        for (Property p : Property.values()) {
            out.put(p, verdict(p, r));
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
        StepRange r = range();
        List<String> missing = new ArrayList<>();
        for (Property p : wanted) {
            Verdict v = verdict(Objects.requireNonNull(p, "FlowLayer.require: property"), r);
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

    private Verdict verdict(Property p, StepRange r) {
        Verdict generic = genericVerdict(p);
        if (generic.holds() || !(field instanceof LayerField lf)) {
            return generic;
        }
        Verdict specific = lf.guarantee(p, integrator, r);
        return specific.holds() ? specific : Verdict.no(generic.reason() + "; " + specific.reason());
    }

    private Verdict genericVerdict(Property p) {
        String f = field.getClass().getSimpleName();
        String method = integrator.name();
        Set<Structure> s = integrator.structure();
        boolean hamiltonian = field instanceof HamiltonianField;
        return switch (p) {
            case SYMPLECTIC -> !hamiltonian
                    ? Verdict.no("SYMPLECTIC needs a HamiltonianField (𝕁∇H); " + f + " is not one")
                    : s.contains(Structure.SYMPLECTIC)
                    ? Verdict.yes(method + " is symplectic on Hamiltonian fields")
                    : Verdict.no("SYMPLECTIC needs a symplectic integrator; " + method + " preserves " + s);
            case VOLUME_PRESERVING -> s.contains(Structure.VOLUME_PRESERVING)
                    ? Verdict.yes(method + " preserves volume for every field it accepts")
                    : hamiltonian && s.contains(Structure.SYMPLECTIC)
                    ? Verdict.yes("symplectic maps preserve volume")
                    : Verdict.no("VOLUME_PRESERVING needs a symplectic step of a Hamiltonian field, a volume-preserving "
                    + "integrator or a shear splitting of a divergence-free field; got " + f + " × " + method);
            case NORM_PRESERVING -> !(field instanceof SkewField)
                    ? Verdict.no("NORM_PRESERVING needs a sphere-preserving SkewField S(x)x; " + f + " is not one")
                    : s.contains(Structure.NORM_PRESERVING) || s.contains(Structure.QUADRATIC_INVARIANTS)
                    ? Verdict.yes(method + " keeps ‖x‖ for skew fields")
                    : Verdict.no("NORM_PRESERVING needs a norm-preserving integrator (CayleyHeun, ImplicitMidpoint); "
                    + method + " preserves " + s);
            case INVERTIBLE -> field instanceof SeparableHamiltonian
                    && (integrator instanceof SymplecticEuler || integrator instanceof StormerVerlet)
                    ? Verdict.yes("the adjoint of " + method + " with step −h inverts it exactly")
                    : Verdict.no("INVERTIBLE needs symplectic Euler or Störmer–Verlet on a separable Hamiltonian, or a "
                    + "reversible field with a matching integrator; got " + f + " × " + method);
            case MASS_PRESERVING -> Verdict.no("MASS_PRESERVING needs a field with Σᵢfᵢ = 0 (MassPreservingField) "
                    + "under a Runge–Kutta method; got " + f + " × " + method);
            case LIPSCHITZ_1 -> Verdict.no("LIPSCHITZ_1 needs a contractive gradient field (dense or convolutional) "
                    + "with explicit Euler and a bounded step; got " + f + " × " + method);
        };
    }

    /** The product over sub-steps of the field's one-step bound at the current step; +∞ if unknown. */
    @Override
    public double lipschitzBound() {
        double tau = step.value().getDouble(0) / substeps;
        double one;
        if (field instanceof LayerField lf) {
            one = lf.stepLipschitzBound(integrator, tau);
        } else {
            one = tau == 0 ? 1 : Double.POSITIVE_INFINITY;
        }
        return one == 1 ? 1 : Math.pow(one, substeps);
    }
}
