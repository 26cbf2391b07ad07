package io.structflow.examples.planar;

import io.structflow.constraints.project.NonExpansiveStepRegion;
import io.structflow.constraints.project.StepBox;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
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
public final class PlanarClassifier extends Module {
    private static final ExplicitEuler EULER = new ExplicitEuler();

    private final Family family;
    private final ZeroPaddingLift lift;
    private final Module dynamics;
    private final DynamicalBlock block;
    private final List<Parameter> stepParameters;
    private final List<DenseGradientField> fields;
    private final Linear head;

    /**
     * @param family   the family of residual layers
     * @param settings sizes, slope, sub-steps, initial steps and weight scale
     * @param seed     seed of the initialisation
     */
    public PlanarClassifier(Family family, Settings settings, long seed) {
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
}
