package io.structflow.layers.models;

import io.structflow.constraints.project.ContractiveStepFloor;
import io.structflow.constraints.project.NonExpansiveStepRegion;
import io.structflow.constraints.project.StepBox;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Exportable;
import io.structflow.core.nn.InferenceGraph;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.blocks.DynamicalBlock;
import io.structflow.layers.blocks.ZeroPaddingLift;
import io.structflow.layers.fields.ContractiveGradientField;
import io.structflow.layers.fields.DenseGradientField;
import io.structflow.layers.fields.ExpansiveGradientField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The classifier of [CMOSS] §1.1: zero-padding lift, ten residual layers of one {@link Family},
 * linear head,
 * <pre>
 *   N(x) = W_head · (Ψ_L ∘ … ∘ Ψ_1)(L x) + b_head,     L x = (x₁, x₂, 0, …, 0) ∈ ℝⁿ,
 *   Ψ_i(z) = z + s_i h_i Aᵢᵀσ(Aᵢz + bᵢ),   Aᵢ = expm(Wᵢ − Wᵢᵀ),   σ = LeakyReLU(a),
 * </pre>
 * with s_i = −1 (contractive, (3.5)) or +1 (expansive, (3.7)). The head is a linear map from the
 * final state {@code [batch, n]} to two logits (trained with cross-entropy). Steps are learnable
 * and kept in their family's set by projection after each optimiser step:
 * <ul>
 *   <li>alternating: a {@link DynamicalBlock} of L/2 pairs, (h₁, h₂) ∈ R of (3.10) with S
 *       sub-steps (each layer applies its field S times with step h/S);</li>
 *   <li>expansive: {@code h ≥ 0} ({@link StepBox});</li>
 *   <li>contractive: {@code 0 ≤ h ≤ 2} ({@link StepBox}, the Euler bound 2/‖A‖² for ‖A‖ = 1).</li>
 * </ul>
 * The dynamical part {@code Ψ_L ∘ … ∘ Ψ_1 ∘ L} is 1-Lipschitz for the alternating and
 * contractive families. Cost per forward: L matrix exponentials of n×n and L·S fused
 * gradient-flow kernels.
 */
public final class PlanarClassifier extends Module implements Exportable {
    private static final ExplicitEuler EULER = new ExplicitEuler();

    private final Family family;
    private final ZeroPaddingLift lift;
    private final Module dynamics;
    private final DynamicalBlock block;
    private final List<Parameter> stepParameters;
    private final List<DenseGradientField> fields;
    private final Linear head;

    /**
     * The shape and initial state of the network.
     *
     * @param width              width n of the lifted state (zero-padding lift ℝ² → ℝⁿ), ≥ 2
     * @param layers             number of residual layers, even and ≥ 2 (the alternating family is made of pairs)
     * @param slope              a, the negative-side slope of σ = LeakyReLU(a), in (0, 1]
     * @param substeps           S ≥ 1, the sub-steps of each alternating layer, for the region R of (3.10)
     * @param weightStd          standard deviation of the raw weights W of {@code A = expm(W − Wᵀ)} at
     *                           initialisation, finite and &gt; 0
     * @param alternatingH1      initial contractive step h₁ of each alternating pair (projected into R), ≥ 0
     * @param alternatingH2      initial expansive step h₂ of each alternating pair (projected into R), ≥ 0
     * @param minContractiveStep δ, a floor on h₁ of each alternating pair ({@link ContractiveStepFloor};
     *                           0: none), in {@code [0, aS]}
     * @param expansiveStep      initial step of the expansive layers, ≥ 0
     * @param contractiveStep    initial step of the contractive layers, in [0, 2]
     * @param type               FLOAT or DOUBLE
     */
    public record Architecture(int width, int layers, double slope, int substeps, double weightStd,
                               double alternatingH1, double alternatingH2, double minContractiveStep,
                               double expansiveStep, double contractiveStep, DataType type) {
        /** Validates every component; messages name it, what was expected and what came. */
        public Architecture {
            if (width < 2) {
                throw bad("width", "≥ 2 (the data are planar)", width);
            }
            if (layers < 2 || layers % 2 != 0) {
                throw bad("layers", "an even number ≥ 2 (the alternating family is made of contractive/expansive "
                        + "pairs)", layers);
            }
            if (!(slope > 0) || !(slope <= 1)) {
                throw bad("slope", "0 < a ≤ 1 (LeakyReLU slope)", slope);
            }
            if (substeps < 1) {
                throw bad("substeps", "≥ 1", substeps);
            }
            if (!(weightStd > 0) || !Double.isFinite(weightStd)) {
                throw bad("weightStd", "a finite value > 0", weightStd);
            }
            nonNegative("alternatingH1", alternatingH1);
            nonNegative("alternatingH2", alternatingH2);
            nonNegative("minContractiveStep", minContractiveStep);
            if (minContractiveStep > slope * substeps) {
                throw bad("minContractiveStep", "0 ≤ δ ≤ aS = " + slope * substeps
                        + " (where the boundary of R stops rising)", minContractiveStep);
            }
            nonNegative("expansiveStep", expansiveStep);
            nonNegative("contractiveStep", contractiveStep);
            if (contractiveStep > 2) {
                throw bad("contractiveStep", "a value in [0, 2] (the Euler bound 2/‖A‖² of (3.5))", contractiveStep);
            }
            if (type != DataType.FLOAT && type != DataType.DOUBLE) {
                throw bad("type", "FLOAT or DOUBLE", type);
            }
        }

        /**
         * The network of [CMOSS] §1.1 with this implementation's chosen initial state: width 4, ten
         * layers, σ = LeakyReLU(0.5), S = 2, weight scale 0.1, alternating pairs started at
         * (1.0, 0.15) with h₁ ≥ 0.2, expansive steps 0.2, contractive steps 1.8, float32.
         */
        public static Architecture defaults() {
            return new Architecture(4, 10, 0.5, 2, 0.1, 1.0, 0.15, 0.2, 0.2, 1.8, DataType.FLOAT);
        }

        private static IllegalArgumentException bad(String argument, String expected, Object actual) {
            return new IllegalArgumentException("PlanarClassifier.Architecture: " + argument + " expected " + expected
                    + " but got " + actual);
        }

        private static void nonNegative(String argument, double v) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw bad(argument, "a finite value ≥ 0", v);
            }
        }
    }

    /**
     * @param family   the family of residual layers
     * @param settings sizes, slope, sub-steps, initial steps and weight scale
     * @param seed     seed of the initialisation
     */
    public PlanarClassifier(Family family, Architecture settings, long seed) {
        if (family == null || settings == null) {
            throw new IllegalArgumentException("PlanarClassifier: family and settings expected non-null but got "
                    + family + ", " + settings);
        }
        this.family = family;
        SplittableRandom rng = new SplittableRandom(seed);
        int n = settings.width();
        lift = register("lift", new ZeroPaddingLift(2, n));
        List<Parameter> steps = new ArrayList<>();
        List<DenseGradientField> all = new ArrayList<>();
        if (family == Family.ALTERNATING) {
            block = DynamicalBlock.prescribed(n, settings.layers() / 2, settings.slope(), settings.substeps(),
                    rng.nextLong(), settings.type());
            double[] init = new double[settings.layers()];
            for (int i = 0; i < init.length; i += 2) {
                init[i] = settings.alternatingH1();
                init[i + 1] = settings.alternatingH2();
            }
            if (settings.minContractiveStep() > 0) {
                block.steps().constrain(new ContractiveStepFloor(settings.minContractiveStep(),
                        (NonExpansiveStepRegion) block.stepConstraint()));
            }
            block.steps().updateInPlace(Tensor.of(settings.type(), init, settings.layers() / 2, 2).value());
            block.steps().projectInPlace();
            for (int i = 0; i < block.pairs(); i++) {
                all.add((DenseGradientField) block.contractiveFields().get(i));
                all.add((DenseGradientField) block.expansiveFields().get(i));
            }
            steps.add(block.steps());
            dynamics = register("dynamics", block);
        } else {
            block = null;
            Activation sigma = Activation.leakyRelu(settings.slope());
            Sequential seq = new Sequential();
            for (int i = 0; i < settings.layers(); i++) {
                DenseGradientField field;
                Parameter h;
                if (family == Family.EXPANSIVE) {
                    field = new ExpansiveGradientField(n, n, sigma, true, settings.type(), rng.split());
                    h = FlowLayer.stepParameter(settings.expansiveStep(), settings.type())
                            .constrain(new StepBox(0, Double.POSITIVE_INFINITY));
                } else {
                    field = new ContractiveGradientField(n, n, sigma, true, settings.type(), rng.split());
                    h = FlowLayer.stepParameter(settings.contractiveStep(), settings.type()).constrain(new StepBox(0, 2));
                }
                h.projectInPlace();
                seq.add(new FlowLayer<>(field, EULER, h, 1));
                steps.add(h);
                all.add(field);
            }
            dynamics = register("dynamics", seq);
        }
        for (DenseGradientField f : all) {
            f.weightParameter().updateInPlace(Tensor.randn(settings.type(), rng, n, n).mul(settings.weightStd()).value());
        }
        this.stepParameters = Collections.unmodifiableList(steps);
        this.fields = Collections.unmodifiableList(all);
        head = register("head", new Linear(n, 2, true, settings.type(), rng));
    }

    /**
     * @param x points {@code [batch, 2]}; not mutated
     * @return logits {@code [batch, 2]}
     */
    @Override
    public Tensor forward(Tensor x) {
        return head.forward(features(x));
    }

    /**
     * The dynamical part with its lift, {@code Ψ_L ∘ … ∘ Ψ_1 ∘ L}: {@code [batch, 2] → [batch, n]}
     * (the map whose Lipschitz constant the families bound).
     */
    public Tensor features(Tensor x) {
        return dynamics.forward(lift.forward(x));
    }

    /** The family. */
    public Family family() {
        return family;
    }

    /** The step parameters: one {@code [pairs, 2]} for the alternating family, else one {@code [1]} per layer. */
    public List<Parameter> stepParameters() {
        return stepParameters;
    }

    /** The gradient fields in layer order. */
    public List<DenseGradientField> fields() {
        return fields;
    }

    /** The step length h of each layer, in layer order (the full step; a layer of S sub-steps moves by h/S each). */
    public double[] steps() {
        double[] out = new double[fields.size()];
        int k = 0;
        for (Parameter p : stepParameters) {
            for (double h : p.toDoubleArray()) {
                out[k++] = h;
            }
        }
        return out;
    }

    /** The final time {@code T = Σᵢ |hᵢ|} over all layers ([CMOSS] Table 1). */
    public double finalTime() {
        double t = 0;
        for (double h : steps()) {
            t += Math.abs(h);
        }
        return t;
    }

    /** The largest violation of the step constraints (0 when every step is in its set). */
    public double stepViolation() {
        double worst = 0;
        for (Parameter p : stepParameters) {
            for (var c : p.constraints()) {
                worst = Math.max(worst, c.violation(p));
            }
        }
        return worst;
    }

    /** Lift, the residual layers, the head. */
    @Override
    public InferenceGraph.Value appendTo(InferenceGraph graph, InferenceGraph.Value x) {
        return graph.apply("head", head, graph.apply("dynamics", dynamics, graph.apply("lift", lift, x)));
    }
}
