package io.structflow.layers.blocks;

import io.structflow.constraints.linalg.NormEstimateSettings;
import io.structflow.constraints.project.FlexibleSwitchingRegion;
import io.structflow.constraints.project.NonExpansiveStepRegion;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.LipschitzBounded;
import io.structflow.layers.Property;
import io.structflow.layers.PropertyRules;
import io.structflow.layers.Structured;
import io.structflow.layers.fields.CircularConvGradientField;
import io.structflow.layers.fields.ContractiveGradientField;
import io.structflow.layers.fields.ConvContractiveGradientField;
import io.structflow.layers.fields.ConvExpansiveGradientField;
import io.structflow.layers.fields.ConvGradientField;
import io.structflow.layers.fields.ExpansiveGradientField;
import io.structflow.layers.fields.GradientFlowField;
import io.structflow.layers.fields.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A dynamical block with switching, [CMOSS] §3.2: pairs of explicit Euler layers on a
 * contractive field {@code F_c = −Aᵀσ(Ax + b)} and an expansive field {@code F = +Aᵀσ(Ax + b)}
 * (each pair with its own weights), with S sub-steps each,
 * <pre>
 *   pair i:   x ← Ψ_{F,i}^{h₂/S} ∘ … ∘ Ψ_{F,i}^{h₂/S} ∘ Ψ_{F_c,i}^{h₁/S} ∘ … ∘ Ψ_{F_c,i}^{h₁/S}(x)   (S times each),
 *             Ψ_f^τ(x) = x + τ f(x)
 * </pre>
 * Each half of a pair is a {@link FlowLayer} ({@link FlowLayer#sharedStep}) whose step is one entry
 * of the parameter {@code steps} of shape {@code [pairs, 2]}, kept by projection in
 * <ul>
 *   <li>{@link Switching#PRESCRIBED}, (3.11): the non-expansive region R of (3.10), slope a and S
 *       sub-steps ({@link NonExpansiveStepRegion}): h₁, h₂ ≥ 0, every pair non-expansive;</li>
 *   <li>{@link Switching#FLEXIBLE}, (3.12): App. C's constraints ({@link FlexibleSwitchingRegion}):
 *       0.11 ≤ h₁ ≤ 1.9 and either −1.9 ≤ h₂ ≤ 0 (the second layer is contractive too) or
 *       (h₁, h₂) ∈ R.</li>
 * </ul>
 *
 * <p><b>Properties and bound</b> come from the same rules as every layer's
 * ({@link PropertyRules}): {@link Property#LIPSCHITZ_1} when every pair is non-expansive by the
 * pair rule of (3.10) ({@link PropertyRules#nonExpansivePair}: orthonormal A exactly, σ' ∈ [a, 1],
 * steps guaranteed in R) — the dense factories (A = expm(W − Wᵀ), σ = LeakyReLU(a)) meet it. The
 * convolutional factories keep the kernels' operator norms at 1 by the per-step estimate (the
 * expansive sub-steps, {@code 1 + τ} each, keep them from any claim, so a certified projection would
 * buy nothing at several times the cost): a certificate uses {@link #lipschitzBound()}, the product
 * of the layers' certified bounds at the current parameters.
 *
 * <p>Cost per pair: 2S fused gradient-flow kernels (plus, for orthogonal A, 2 matrix exponentials).
 * Parameters are named {@code steps}, {@code <i>.contractive.*}, {@code <i>.expansive.*}.
 */
public final class DynamicalBlock extends Module implements LipschitzBounded, Structured, Exportable {
    /** The switching strategy, i.e. the constraint on the step pairs. */
    public enum Switching {
        /** (3.11): step pairs in the non-expansive region R of (3.10). */
        PRESCRIBED,
        /** (3.12) with App. C's constraints. */
        FLEXIBLE
    }

    private static final ExplicitEuler EULER = new ExplicitEuler();

    private final Switching switching;
    private final double slope;
    private final int substeps;
    private final List<GradientFlowField> contractive;
    private final List<GradientFlowField> expansive;
    private final Parameter steps;
    private final Constraint region;
    private final List<Pair> pairList;

    /**
     * A block from given fields, one contractive and one expansive field per pair (each a
     * {@link Module}).
     *
     * @param switching   the step constraint attached to {@code steps}
     * @param slope       a, the least slope of σ used by R, {@code 0 < a ≤ 1}
     * @param substeps    S ≥ 1
     * @param contractive first layer of each pair (a contractive field, e.g. {@link ContractiveGradientField})
     * @param expansive   second layer of each pair (an expansive field, e.g. {@link ExpansiveGradientField}),
     *                    same count
     * @param type        the element type of the step parameter (that of the fields)
     */
    public DynamicalBlock(Switching switching, double slope, int substeps, List<? extends GradientFlowField> contractive,
                          List<? extends GradientFlowField> expansive, DataType type) {
        Checks.notNull("DynamicalBlock", "switching", switching);
        Checks.notNull("DynamicalBlock", "type", type);
        this.substeps = Checks.atLeast("DynamicalBlock", "substeps", 1, substeps);
        if (contractive == null || expansive == null || contractive.isEmpty() || contractive.size() != expansive.size()) {
            throw Checks.bad("DynamicalBlock", "fields", "as many expansive as contractive fields, at least one",
                    (contractive == null ? "null" : contractive.size()) + " contractive and "
                            + (expansive == null ? "null" : expansive.size()) + " expansive");
        }
        NonExpansiveStepRegion r = new NonExpansiveStepRegion(slope, substeps);
        this.switching = switching;
        this.slope = slope;
        this.region = switching == Switching.PRESCRIBED ? r : FlexibleSwitchingRegion.appendixC(slope, substeps);
        int pairs = contractive.size();
        double[] init = new double[2 * pairs];
        double h1 = switching == Switching.PRESCRIBED ? slope * substeps : Math.min(Math.max(slope * substeps, 0.11), 1.9);
        double h2 = Math.min(0.5 * r.boundary(h1), 1.0);
        for (int i = 0; i < pairs; i++) {
            init[2 * i] = h1;
            init[2 * i + 1] = h2;
        }
        steps = register("steps", Parameter.of("steps", Tensor.of(type, init, pairs, 2)));
        steps.constrain(region);
        steps.projectInPlace();
        List<GradientFlowField> c = new ArrayList<>();
        List<GradientFlowField> e = new ArrayList<>();
        List<Pair> p = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            GradientFlowField fc = contractive.get(i);
            GradientFlowField fe = expansive.get(i);
            requireModule("contractive[" + i + "]", fc);
            requireModule("expansive[" + i + "]", fe);
            if (fc.dtype() != type || fe.dtype() != type) {
                throw Checks.bad("DynamicalBlock", "fields of pair " + i, "element type " + type,
                        fc.dtype() + " and " + fe.dtype());
            }
            p.add(register(Integer.toString(i), new Pair(i, fc, fe)));
            c.add(fc);
            e.add(fe);
        }
        this.contractive = Collections.unmodifiableList(c);
        this.expansive = Collections.unmodifiableList(e);
        this.pairList = Collections.unmodifiableList(p);
    }

    /**
     * The dense block of [CMOSS] §1.1/§3.2: {@code pairs} pairs of gradient fields of width
     * {@code width} with orthogonal {@code A = expm(W − Wᵀ)} ({@code [width, width]}), σ =
     * LeakyReLU(a), steps in R (prescribed switching (3.11)). 1-Lipschitz by construction.
     */
    public static DynamicalBlock prescribed(int width, int pairs, double a, int substeps, long seed, DataType type) {
        return dense(Switching.PRESCRIBED, width, pairs, a, substeps, seed, type);
    }

    /** As {@link #prescribed} with the flexible switching (3.12) and App. C's step constraints. */
    public static DynamicalBlock flexible(int width, int pairs, double a, int substeps, long seed, DataType type) {
        return dense(Switching.FLEXIBLE, width, pairs, a, substeps, seed, type);
    }

    private static DynamicalBlock dense(Switching switching, int width, int pairs, double a, int substeps, long seed,
                                        DataType type) {
        Checks.atLeast("DynamicalBlock", "width", 1, width);
        Checks.atLeast("DynamicalBlock", "pairs", 1, pairs);
        Activation sigma = leakyRelu(a);
        SplittableRandom rng = new SplittableRandom(seed);
        List<GradientFlowField> c = new ArrayList<>();
        List<GradientFlowField> e = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            c.add(new ContractiveGradientField(width, width, sigma, true, type, rng.split()));
            e.add(new ExpansiveGradientField(width, width, sigma, true, type, rng.split()));
        }
        return new DynamicalBlock(switching, a, substeps, c, e, type);
    }

    /**
     * The convolutional block of [CMOSS] §3.3: {@code pairs} pairs of convolutional gradient fields
     * {@code ∓Kᵀσ(Kx + b)} with {@code channels → channels} 3×3 kernels whose operator norm on
     * {@code height × width} images is kept ≤ 1 (by the estimate), σ = LeakyReLU(a) (a = 0.5 is
     * {@code max(x, x/2)}), steps in R (prescribed switching (3.11)).
     */
    public static DynamicalBlock prescribedConv(int channels, int pairs, double a, int substeps, long height, long width,
                                                long seed, DataType type) {
        return conv(Switching.PRESCRIBED, channels, pairs, a, substeps, height, width, seed, type);
    }

    /** As {@link #prescribedConv} with the flexible switching (3.12) and App. C's step constraints. */
    public static DynamicalBlock flexibleConv(int channels, int pairs, double a, int substeps, long height, long width,
                                              long seed, DataType type) {
        return conv(Switching.FLEXIBLE, channels, pairs, a, substeps, height, width, seed, type);
    }

    private static DynamicalBlock conv(Switching switching, int channels, int pairs, double a, int substeps, long height,
                                       long width, long seed, DataType type) {
        int h = Math.toIntExact(height);
        int w = Math.toIntExact(width);
        return convPairs(switching, channels, pairs, a, substeps, seed, type,
                (sigma, rng) -> normBounded(new ConvContractiveGradientField(channels, channels, 3, h, w, sigma, type, rng)),
                (sigma, rng) -> normBounded(new ConvExpansiveGradientField(channels, channels, 3, h, w, sigma, type, rng)));
    }

    /** A block of {@code pairs} pairs of conv fields, each made from σ = LeakyReLU(a) and its own split of the seed's generator. */
    private static DynamicalBlock convPairs(Switching switching, int channels, int pairs, double a, int substeps, long seed,
                                            DataType type,
                                            BiFunction<Activation, SplittableRandom, GradientFlowField> contractive,
                                            BiFunction<Activation, SplittableRandom, GradientFlowField> expansive) {
        Checks.atLeast("DynamicalBlock", "channels", 1, channels);
        Checks.atLeast("DynamicalBlock", "pairs", 1, pairs);
        Activation sigma = leakyRelu(a);
        SplittableRandom rng = new SplittableRandom(seed);
        List<GradientFlowField> c = new ArrayList<>();
        List<GradientFlowField> e = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            c.add(contractive.apply(sigma, rng.split()));
            e.add(expansive.apply(sigma, rng.split()));
        }
        return new DynamicalBlock(switching, a, substeps, c, e, type);
    }

    /**
     * The convolutional block with exactly orthogonal convolutions: {@code pairs} pairs of
     * {@link CircularConvGradientField}s {@code ∓𝒬ᵀσ(𝒬x + b)}, 𝒬 the Cayley-parametrised circular
     * convolution {@code channels → channels} from a {@code k × k} raw kernel on
     * {@code height × width} images, σ = LeakyReLU(a), steps in R (prescribed switching (3.11)).
     * The pair rule (3.10) holds for every parameter value, so the block is 1-Lipschitz
     * ({@link Property#LIPSCHITZ_1}) and its bound is 1.
     */
    public static DynamicalBlock orthogonalConv(int channels, int pairs, double a, int substeps, int k, int height,
                                                int width, long seed, DataType type) {
        return convPairs(Switching.PRESCRIBED, channels, pairs, a, substeps, seed, type,
                (sigma, rng) -> CircularConvGradientField.contractive(channels, k, height, width, sigma, type, rng),
                (sigma, rng) -> CircularConvGradientField.expansive(channels, k, height, width, sigma, type, rng));
    }

    /**
     * Attaches {@code ‖K‖₂ ≤ 1}, decided by the warm-started estimate (no claim rests on it: the
     * expansive steps keep the block from {@code LIPSCHITZ_1}, and its bound uses certified norms of
     * the current kernels), and projects the initial kernel into it.
     */
    private static ConvGradientField normBounded(ConvGradientField field) {
        field.constrainNorm(1.0, NormEstimateSettings.convolution(), 1e-6);
        field.kernel().projectInPlace();
        return field;
    }

    private static Activation leakyRelu(double a) {
        if (!(a > 0) || !(a <= 1)) {
            throw Checks.bad("DynamicalBlock", "slope a", "0 < a ≤ 1 (σ = LeakyReLU(a) and the region R of (3.10))", a);
        }
        return Activation.leakyRelu(a);
    }

    private static void requireModule(String name, GradientFlowField f) {
        if (!(f instanceof Module)) {
            throw Checks.bad("DynamicalBlock", name, "a Module (so that its parameters are trained)",
                    f == null ? "null" : f.getClass().getName());
        }
    }

    /** The switching strategy. */
    public Switching switching() {
        return switching;
    }

    /** a. */
    public double slope() {
        return slope;
    }

    /** S. */
    public int substeps() {
        return substeps;
    }

    /** Number of pairs. */
    public int pairs() {
        return contractive.size();
    }

    /** The step pairs (h₁, h₂), {@code [pairs, 2]}, with the switching constraint attached. */
    public Parameter steps() {
        return steps;
    }

    /** The constraint on {@link #steps()}: R or App. C's set. */
    public Constraint stepConstraint() {
        return region;
    }

    /** The contractive field of each pair. */
    public List<GradientFlowField> contractiveFields() {
        return contractive;
    }

    /** The expansive field of each pair. */
    public List<GradientFlowField> expansiveFields() {
        return expansive;
    }

    /**
     * @param x {@code [batch, n]} (dense) or {@code [batch, C, H, W]} (conv); not mutated
     * @return the shape of x
     */
    @Override
    public Tensor forward(Tensor x) {
        contractive.get(0).checkInput("DynamicalBlock.forward", x);
        Tensor y = x;
        for (Pair pair : pairList) {
            y = pair.forward(y);
        }
        return y;
    }

    /**
     * The certified Lipschitz bound of each pair at the current steps and weights: 1 when the rules
     * prove the pair non-expansive ({@link PropertyRules#nonExpansivePair}, e.g. (3.10) with
     * orthogonal operators), else the product of its two layers' bounds.
     */
    public double[] pairBounds() {
        double[] out = new double[pairList.size()];
        for (int i = 0; i < out.length; i++) {
            Pair p = pairList.get(i);
            out[i] = PropertyRules.nonExpansivePair(p.first, p.second, steps).holds() ? 1
                    : p.first.lipschitzBound() * p.second.lipschitzBound();
        }
        return out;
    }

    /** The product of {@link #pairBounds()}. */
    @Override
    public double lipschitzBound() {
        double product = 1;
        for (double b : pairBounds()) {
            product *= b;
        }
        return product;
    }

    /** Why {@code LIPSCHITZ_1} holds for every pair, or why not ({@link PropertyRules#nonExpansivePair}). */
    public Verdict lipschitzVerdict() {
        List<String> reasons = new ArrayList<>();
        for (Pair pair : pairList) {
            Verdict v = PropertyRules.nonExpansivePair(pair.first, pair.second, steps);
            if (!v.holds()) {
                return Verdict.no("pair " + pair.index + ": " + v.reason());
            }
            reasons.add(v.reason());
        }
        return Verdict.yes(reasons.get(0) + (reasons.size() > 1 ? " (every pair)" : ""));
    }

    /** {@code LIPSCHITZ_1} when every pair is non-expansive by the rules; otherwise nothing. */
    @Override
    public Set<Property> properties() {
        return lipschitzVerdict().holds() ? Collections.unmodifiableSet(EnumSet.of(Property.LIPSCHITZ_1))
                : Collections.emptySet();
    }

    /**
     * Pair i: the layer of S contractive sub-steps of size h₁/S, then the layer of S expansive
     * sub-steps of size h₂/S, (h₁, h₂) row i of {@link #steps()}. Registers the fields as
     * {@code contractive} and {@code expansive} (the layers themselves hold no parameter).
     */
    /** Each pair's two Euler layers in turn, under the pair's index. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        InferenceGraph.Value y = x;
        for (Pair pair : pairList) {
            y = graph.apply(Integer.toString(pair.index), pair, y);
        }
        return y;
    }

    private final class Pair extends Module implements Exportable {
        private final int index;
        private final FlowLayer<GradientFlowField> first;
        private final FlowLayer<GradientFlowField> second;

        Pair(int index, GradientFlowField contractiveField, GradientFlowField expansiveField) {
            this.index = index;
            this.first = FlowLayer.sharedStep(contractiveField, EULER, steps, new long[] {index, 0}, substeps);
            this.second = FlowLayer.sharedStep(expansiveField, EULER, steps, new long[] {index, 1}, substeps);
            register("contractive", (Module) contractiveField);
            register("expansive", (Module) expansiveField);
        }

        @Override
        public Tensor forward(Tensor x) {
            return second.forward(first.forward(x));
        }

        @Override
        public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
            return graph.apply("expansive", second, graph.apply("contractive", first, x));
        }
    }
}
