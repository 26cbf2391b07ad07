package io.structflow.layers;

import io.structflow.constraints.guarantee.EulerStepLimit;
import io.structflow.constraints.guarantee.NonExpansivePairs;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Guarantee;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.HamiltonianField;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.ShearSplitField;
import io.structflow.integrators.SkewField;
import io.structflow.integrators.SplittingScheme;
import io.structflow.integrators.SplittingTraits;
import io.structflow.integrators.Structure;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.ZeroSumField;
import io.structflow.layers.fields.GradientFlowField;
import io.structflow.layers.fields.LayerField;
import io.structflow.layers.fields.StepRange;
import io.structflow.layers.fields.Verdict;
import io.structflow.layers.fields.WeightBounds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one table that turns field traits × integrator traits × what is guaranteed of the step into
 * properties, each with its reason ([CMOSS] Table 1). Every row reads only published traits: the
 * field's interfaces ({@link HamiltonianField}, {@link GradientFlowField}, {@link SkewField},
 * {@link ZeroSumField}, {@link ShearSplitField}, {@link LayerField#dimension()}) and the
 * integrator's data ({@link Integrator#structure()}, {@link Integrator#tableau()},
 * {@link Integrator#explicitAdjoint()}, {@link Integrator#splitting()}), never a concrete class,
 * so a user's field or method that declares its traits gets its properties with no edit here.
 *
 * <p>A claim is a theorem about the parameters after projection, in exact arithmetic on the
 * stored values: the step's interval and the weight's norm are those the constraints
 * <em>guarantee</em> (tolerances included, never estimates), or the fixed value itself.
 *
 * <table>
 *   <caption>Rows</caption>
 *   <tr><th>property</th><th>field</th><th>integrator</th><th>step</th></tr>
 *   <tr><td>LIPSCHITZ_1</td><td>gradient form s·𝒜ᵀσ(𝒜x+b), σ' ≥ 0</td><td>tableau computes explicit Euler</td>
 *       <td>every sub-step τ with max(|1+sτσ'ₘᵢₙℓ²|, |1+sτσ'ₘₐₓc²|) ≤ 1, or τ ≤ 2/‖𝒜‖² by an EulerStepLimit on 𝒜</td></tr>
 *   <tr><td>SYMPLECTIC</td><td>Hamiltonian</td><td>{@link Structure#SYMPLECTIC}</td><td>any</td></tr>
 *   <tr><td>SYMPLECTIC</td><td>dimension 2</td><td colspan="2">VOLUME_PRESERVING holds</td></tr>
 *   <tr><td>VOLUME_PRESERVING</td><td>any it accepts</td><td>{@link Structure#VOLUME_PRESERVING}</td><td>any</td></tr>
 *   <tr><td>VOLUME_PRESERVING</td><td>Hamiltonian</td><td>{@link Structure#SYMPLECTIC}</td><td>any</td></tr>
 *   <tr><td>VOLUME_PRESERVING, INVERTIBLE</td><td>shear split</td><td>splitting whose parts have tableaux</td><td>any</td></tr>
 *   <tr><td>NORM_PRESERVING</td><td>skew S(x)x</td><td>{@link Structure#NORM_PRESERVING} or {@link Structure#QUADRATIC_INVARIANTS}</td><td>any</td></tr>
 *   <tr><td>MASS_PRESERVING</td><td>Σfᵢ = 0</td><td>{@link Structure#LINEAR_INVARIANTS}</td><td>any</td></tr>
 *   <tr><td>INVERTIBLE</td><td>any it accepts</td><td>explicit adjoint</td><td>any</td></tr>
 * </table>
 */
public final class PropertyRules {
    /** One row: the property it grants and its test, which says yes with the reason or no with what it needs. */
    private record Rule(Property property, Function<Pairing, Verdict> test) {
    }

    /**
     * The pairing a rule looks at.
     *
     * @param field      the vector field
     * @param integrator the one-step method
     * @param step       what is known of the step
     */
    public record Pairing(VectorField field, Integrator<?> integrator, StepRange step) {
        String fieldName() {
            return field.getClass().getSimpleName().isEmpty() ? "the field" : field.getClass().getSimpleName();
        }
    }

    private static final List<Rule> TABLE = List.of(
            new Rule(Property.LIPSCHITZ_1, PropertyRules::gradientEuler),
            new Rule(Property.SYMPLECTIC, PropertyRules::hamiltonianSymplectic),
            new Rule(Property.SYMPLECTIC, PropertyRules::planarVolume),
            new Rule(Property.VOLUME_PRESERVING, PropertyRules::volumeMethod),
            new Rule(Property.VOLUME_PRESERVING, PropertyRules::hamiltonianSymplectic),
            new Rule(Property.VOLUME_PRESERVING, PropertyRules::shearSplitting),
            new Rule(Property.NORM_PRESERVING, PropertyRules::skewNorm),
            new Rule(Property.MASS_PRESERVING, PropertyRules::zeroSumMass),
            new Rule(Property.INVERTIBLE, PropertyRules::explicitAdjoint),
            new Rule(Property.INVERTIBLE, PropertyRules::shearSplitting));

    private PropertyRules() {
    }

    /** Whether {@code property} holds for the pairing: the first row that grants it, or every row's reason why not. */
    public static Verdict verdict(Property property, Pairing pairing) {
        List<String> needs = new ArrayList<>();
        for (Rule r : TABLE) {
            if (r.property() == property) {
                Verdict v = r.test().apply(pairing);
                if (v.holds()) {
                    return v;
                }
                needs.add(v.reason());
            }
        }
        return Verdict.no(needs.isEmpty() ? "no rule grants " + property : String.join("; or ", needs));
    }

    /**
     * An upper bound of the Lipschitz constant of one sub-step of size {@code tau} at the current
     * parameters: for a gradient-form field under explicit Euler the spectral bound below; otherwise
     * the integrator's bound from the field's certified Lipschitz bound
     * ({@link Integrator#stepLipschitzBound}); {@code +∞} when unknown.
     */
    public static double substepBound(VectorField field, Integrator<?> integrator, double tau) {
        if (field instanceof GradientFlowField g && computesEuler(integrator)) {
            return eulerBound(g.sign(), tau, g.activation(), g.currentWeightBounds());
        }
        double lipschitz = field instanceof LayerField lf ? lf.lipschitzBound() : Double.POSITIVE_INFINITY;
        return integrator.stepLipschitzBound(lipschitz, tau);
    }

    /**
     * The exact inverse of one sub-step {@code y = φ_τ(x)}, when a row grants
     * {@link Property#INVERTIBLE}: the explicit adjoint with step −τ, or the shears undone in
     * reverse order.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Optional<Function<Tensor, Tensor>> inverse(Pairing p, Tensor tau) {
        Optional<? extends Integrator<?>> adjoint = p.integrator().explicitAdjoint();
        if (adjoint.isPresent()) {
            Integrator raw = adjoint.get();
            return Optional.of(y -> raw.step(p.field(), y, tau.neg()));
        }
        if (shearSplitting(p).holds()) {
            ShearSplitField f = (ShearSplitField) p.field();
            SplittingScheme scheme = p.integrator().splitting().orElseThrow().scheme();
            return Optional.of(y -> {
                Tensor x = y;
                for (int i = scheme.length() - 1; i >= 0; i--) {
                    if (scheme.b(i) != 0) {
                        x = x.sub(f.second().apply(x).mul(tau.reshape().mul(scheme.b(i))));
                    }
                    if (scheme.a(i) != 0) {
                        x = x.sub(f.first().apply(x).mul(tau.reshape().mul(scheme.a(i))));
                    }
                }
                return x;
            });
        }
        return Optional.empty();
    }

    /**
     * One explicit Euler step {@code x + sτ𝒜ᵀσ(𝒜x + b)} has {@code φ(x) − φ(y) = (I + sτ𝒜ᵀD̄𝒜)(x − y)}
     * with D̄ the diagonal of σ's difference quotients, in {@code [σ'ₘᵢₙ, σ'ₘₐₓ]}. For σ'ₘᵢₙ ≥ 0 the
     * matrix is symmetric with spectrum between {@code 1 + sτσ'ₘᵢₙℓ²} and {@code 1 + sτσ'ₘₐₓc²}
     * (c ≥ ‖𝒜‖, ℓ ≤ the least singular value on inputs), so its norm is the larger modulus of
     * the two ([CMOSS] (3.5), (3.7)); otherwise {@code 1 + |τ|c² max|σ'|}.
     */
    static double eulerBound(int sign, double tau, Activation sigma, WeightBounds w) {
        if (tau == 0) {
            return 1;
        }
        double c = w.normUpper();
        if (!Double.isFinite(c)) {
            return Double.POSITIVE_INFINITY;
        }
        if (sigma.minSlope() < 0) {
            return 1 + Math.abs(tau) * c * c * Math.max(Math.abs(sigma.minSlope()), Math.abs(sigma.maxSlope()));
        }
        double l = w.inputSingularLower();
        double st = sign * tau;
        return Math.max(Math.abs(1 + st * sigma.minSlope() * l * l), Math.abs(1 + st * sigma.maxSlope() * c * c));
    }

    /**
     * {@code LIPSCHITZ_1} of a pair "S explicit Euler sub-steps of a contractive gradient field, then
     * S of an expansive one", both steps entries of {@code steps}: the pair rule of [CMOSS] (3.10)
     * when the steps' guarantees hold a {@link NonExpansivePairs} set for S sub-steps and slope a,
     * both operators have orthonormal columns exactly ({@code ‖𝒜‖ ≤ 1} and {@code ‖𝒜x‖ ≥ ‖x‖}) and
     * σ' ∈ [a', 1] with a' ≥ a; otherwise each layer must be non-expansive on its own.
     */
    public static Verdict nonExpansivePair(FlowLayer<?> first, FlowLayer<?> second, Parameter steps) {
        Verdict own = verdict(Property.LIPSCHITZ_1, first.pairing());
        Verdict next = verdict(Property.LIPSCHITZ_1, second.pairing());
        if (own.holds() && next.holds()) {
            return Verdict.yes("both layers are non-expansive: " + own.reason() + "; " + next.reason());
        }
        if (!steps.insideConstraints()) {
            return Verdict.no("the step pairs are outside their constraint's set now: project first");
        }
        for (Guarantee g : steps.guarantees()) {
            if (g instanceof NonExpansivePairs pairs) {
                String fit = pairFits(first, -1, pairs) + pairFits(second, +1, pairs);
                return fit.isEmpty()
                        ? Verdict.yes("the step pairs stay in the non-expansive region R of (3.10) (slope "
                        + pairs.slope() + ", S = " + pairs.substeps() + ") with orthonormal weights")
                        : Verdict.no("the pair rule (3.10) needs" + fit);
            }
        }
        return Verdict.no("a pair is non-expansive when each layer is (" + own.reason() + "; " + next.reason()
                + ") or when its steps are kept in the region R of (3.10) (NonExpansiveStepRegion), which they are not");
    }

    /** What keeps {@code layer} from the hypotheses of (3.10), or "" when it meets them. */
    private static String pairFits(FlowLayer<?> layer, int sign, NonExpansivePairs pairs) {
        String name = sign < 0 ? " the contractive layer" : " the expansive layer";
        if (!(layer.field() instanceof GradientFlowField g) || g.sign() != sign) {
            return name + " to be a gradient field of sign " + sign + ";";
        }
        if (!computesEuler(layer.integrator()) || layer.substeps() != pairs.substeps()) {
            return name + " to take " + pairs.substeps() + " explicit Euler sub-steps;";
        }
        WeightBounds w = g.guaranteedWeightBounds();
        if (w.normUpper() > 1 || w.inputSingularLower() < 1) {
            return name + " to have orthonormal columns exactly (has " + w.origin() + ");";
        }
        Activation sigma = g.activation();
        if (sigma.minSlope() < pairs.slope() || sigma.maxSlope() > 1) {
            return name + " to have σ' in [" + pairs.slope() + ", 1] (has " + sigma + ");";
        }
        return "";
    }

    /** Whether the integrator's tableau computes {@code x + h f(x)}, whatever its name. */
    static boolean computesEuler(Integrator<?> integrator) {
        return integrator.tableau().map(t -> t.computesExplicitEuler()).orElse(false);
    }

    private static Verdict gradientEuler(Pairing p) {
        if (!(p.field() instanceof GradientFlowField g)) {
            return Verdict.no("LIPSCHITZ_1 needs a gradient field s·𝒜ᵀσ(𝒜x + b) stepped by explicit Euler "
                    + "([CMOSS] (3.5)); " + p.fieldName() + " is not one");
        }
        if (!computesEuler(p.integrator())) {
            return Verdict.no("LIPSCHITZ_1 of " + p.fieldName() + " is derived for explicit Euler only ([CMOSS] (3.5)); "
                    + "the integrator is " + p.integrator().name());
        }
        Activation sigma = g.activation();
        if (sigma.minSlope() < 0) {
            return Verdict.no("LIPSCHITZ_1 of " + p.fieldName() + " needs σ' ≥ 0 but " + sigma + " has slopes in ["
                    + sigma.minSlope() + ", " + sigma.maxSlope() + "]");
        }
        StepRange step = p.step();
        if (!step.inside() || !g.weightParameter().insideConstraints()) {
            return Verdict.no("LIPSCHITZ_1 is a claim about the parameters after projection, but "
                    + (step.inside() ? "the weight " + g.weightParameter().name() : "the step") + " of " + p.fieldName()
                    + " is outside its constraints' set now: project first");
        }
        if (step.learnable()) {
            Optional<EulerStepLimit> limit = eulerStepLimit(g, step.guarantees());
            if (limit.isPresent() && g.sign() < 0) {
                double f = limit.get().factor();
                double worst = Math.max(1, 2 * f * sigma.maxSlope() - 1);
                return worst <= 1
                        ? Verdict.yes("the step's EulerStepBound keeps 0 ≤ τ ≤ 2/‖A‖² ([CMOSS] (3.5)) with σ' ≤ 1")
                        : Verdict.no("LIPSCHITZ_1 needs 0 ≤ τ ≤ 2/(σ'ₘₐₓ‖A‖²) but the step's EulerStepBound allows "
                        + f + "·2/‖A‖² (its relative tolerance " + (f - 1) + ") with σ'ₘₐₓ = " + sigma.maxSlope());
            }
        }
        WeightBounds w = g.guaranteedWeightBounds();
        double lo = step.substepLo();
        double hi = step.substepHi();
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            return Verdict.no("LIPSCHITZ_1 needs the step of " + p.fieldName() + " fixed or guaranteed in a bounded "
                    + "interval (StepBox) or by an EulerStepBound on its weight; step h has " + step.origin());
        }
        double worst = Math.max(eulerBound(g.sign(), lo, sigma, w), eulerBound(g.sign(), hi, sigma, w));
        String interval = lo == hi ? "τ = " + lo : "τ ∈ [" + lo + ", " + hi + "]";
        return worst <= 1
                ? Verdict.yes("every sub-step " + interval + " (" + step.origin() + ") is non-expansive with ‖A‖ ≤ "
                + w.normUpper() + " (" + w.origin() + ") ([CMOSS] (3.5))")
                : Verdict.no("LIPSCHITZ_1 needs every sub-step non-expansive, but " + interval + " (" + step.origin()
                + ") with ‖A‖ ≤ " + w.normUpper() + " (" + w.origin() + ") allows a Lipschitz constant up to " + worst);
    }

    /** An {@link EulerStepLimit} that reads this field's own operator (not a parametrisation's raw weight). */
    private static Optional<EulerStepLimit> eulerStepLimit(GradientFlowField g, List<Guarantee> guarantees) {
        for (Guarantee x : guarantees) {
            if (x instanceof EulerStepLimit l && l.weight() == g.weightParameter() && !g.parametrised()
                    && l.operator().equals(g.weightOperator())) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    private static Verdict hamiltonianSymplectic(Pairing p) {
        Set<Structure> s = p.integrator().structure();
        if (!(p.field() instanceof HamiltonianField)) {
            return Verdict.no("a symplectic step needs a HamiltonianField (𝕁∇H); " + p.fieldName() + " is not one");
        }
        return s.contains(Structure.SYMPLECTIC)
                ? Verdict.yes(p.integrator().name() + " is symplectic on Hamiltonian fields, so volume-preserving too")
                : Verdict.no("a symplectic step needs a symplectic integrator; " + p.integrator().name() + " preserves " + s);
    }

    private static Verdict planarVolume(Pairing p) {
        long d = p.field() instanceof LayerField lf ? lf.dimension() : -1;
        if (d != 2) {
            return Verdict.no("a volume-preserving map is symplectic only in dimension 2; " + p.fieldName() + " has "
                    + (d < 0 ? "no fixed dimension" : "dimension " + d));
        }
        Verdict volume = verdict(Property.VOLUME_PRESERVING, p);
        return volume.holds() ? Verdict.yes("an area-preserving map of the plane is symplectic: " + volume.reason())
                : Verdict.no("in dimension 2 SYMPLECTIC follows from VOLUME_PRESERVING, which does not hold");
    }

    private static Verdict volumeMethod(Pairing p) {
        Set<Structure> s = p.integrator().structure();
        return s.contains(Structure.VOLUME_PRESERVING)
                ? Verdict.yes(p.integrator().name() + " preserves volume for every field it accepts")
                : Verdict.no("VOLUME_PRESERVING needs a volume-preserving integrator; " + p.integrator().name()
                + " preserves " + s);
    }

    private static Verdict shearSplitting(Pairing p) {
        if (!(p.field() instanceof ShearSplitField)) {
            return Verdict.no("a shear splitting needs a ShearSplitField (divergence-free [u(p), 0] + [0, v(q)]); "
                    + p.fieldName() + " is not one");
        }
        Optional<SplittingTraits> split = p.integrator().splitting();
        if (split.isEmpty() || split.get().first().tableau().isEmpty() || split.get().second().tableau().isEmpty()) {
            return Verdict.no("a shear splitting needs a splitting of the two shear pieces, each stepped by an explicit "
                    + "Runge–Kutta method; " + p.integrator().name() + " is not one");
        }
        return Verdict.yes(p.integrator().name() + " composes exact shear flows (§4.2): determinant 1, undone in "
                + "reverse order");
    }

    private static Verdict skewNorm(Pairing p) {
        Set<Structure> s = p.integrator().structure();
        if (!(p.field() instanceof SkewField)) {
            return Verdict.no("NORM_PRESERVING needs a sphere-preserving SkewField S(x)x; " + p.fieldName() + " is not one");
        }
        return s.contains(Structure.NORM_PRESERVING) || s.contains(Structure.QUADRATIC_INVARIANTS)
                ? Verdict.yes(p.integrator().name() + " keeps ‖x‖ for skew fields")
                : Verdict.no("NORM_PRESERVING needs a norm-preserving integrator (e.g. CayleyHeun, ImplicitMidpoint); "
                + p.integrator().name() + " preserves " + s);
    }

    private static Verdict zeroSumMass(Pairing p) {
        Set<Structure> s = p.integrator().structure();
        if (!(p.field() instanceof ZeroSumField)) {
            return Verdict.no("MASS_PRESERVING needs a field with Σᵢfᵢ = 0 (ZeroSumField, [CMOSS] (4.2)); "
                    + p.fieldName() + " is not one");
        }
        return s.contains(Structure.LINEAR_INVARIANTS)
                ? Verdict.yes(p.integrator().name() + " keeps the linear invariant Σᵢxᵢ of (4.2)")
                : Verdict.no("MASS_PRESERVING needs an integrator that keeps linear invariants (any Runge–Kutta method); "
                + p.integrator().name() + " preserves " + s);
    }

    private static Verdict explicitAdjoint(Pairing p) {
        return p.integrator().explicitAdjoint().isPresent()
                ? Verdict.yes("the explicit adjoint of " + p.integrator().name() + " with step −h inverts it exactly")
                : Verdict.no("INVERTIBLE needs an integrator with an explicit adjoint (e.g. symplectic Euler, "
                + "Störmer–Verlet); " + p.integrator().name() + " has none");
    }
}
