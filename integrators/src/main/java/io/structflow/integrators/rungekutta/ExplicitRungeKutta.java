package io.structflow.integrators.rungekutta;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.ButcherTableau;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.Structure;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.internal.Checks;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The explicit Runge–Kutta method of a {@link ButcherTableau}:
 * <pre>
 *   kᵢ = f(x + h Σ_{j&lt;i} aᵢⱼ kⱼ),  i = 1..s,     y = x + h Σᵢ bᵢ kᵢ
 * </pre>
 * ResNet-like layers with several field evaluations, [CMOSS] (1.2). Order: the tableau's.
 * Structure: {@link Structure#LINEAR_INVARIANTS} (every Runge–Kutta method keeps every linear
 * first integral, e.g. the mass of [CMOSS] (4.2)). Cost: {@code s} field evaluations per step.
 * Zero coefficients are skipped, so Heun, midpoint and RK4 cost no more than written out by hand;
 * a tableau that computes explicit Euler ({@link ButcherTableau#computesExplicitEuler()}) steps as
 * {@link ExplicitEuler}, fused kernel included.
 */
public final class ExplicitRungeKutta implements Integrator<VectorField> {
    private static final ExplicitEuler EULER = new ExplicitEuler();
    private final ButcherTableau tableau;

    /** A stepper for any validated tableau, including user-defined ones. */
    public ExplicitRungeKutta(ButcherTableau tableau) {
        this.tableau = Objects.requireNonNull(tableau, "tableau");
    }

    /** Heun's method, order 2. */
    public static ExplicitRungeKutta heun() {
        return new ExplicitRungeKutta(ButcherTableau.HEUN);
    }

    /** Explicit midpoint rule, order 2. */
    public static ExplicitRungeKutta midpoint() {
        return new ExplicitRungeKutta(ButcherTableau.MIDPOINT);
    }

    /** Classical RK4, order 4. */
    public static ExplicitRungeKutta rk4() {
        return new ExplicitRungeKutta(ButcherTableau.RK4);
    }

    @Override
    public Tensor step(VectorField field, Tensor x, Tensor h) {
        if (tableau.computesExplicitEuler()) {
            return EULER.step(field, x, h);
        }
        Tensor step = Checks.step(name(), x, h);
        int s = tableau.stages();
        Tensor[] k = new Tensor[s];
        for (int i = 0; i < s; i++) {
            Tensor increment = combination(k, i, step, true);
            k[i] = Checks.apply(name(), field == null ? null : field::apply, increment == null ? x : x.add(increment));
        }
        return x.add(combination(k, s, step, false));
    }

    /**
     * {@code h Σⱼ aᵢⱼ kⱼ} (stage) or {@code h Σⱼ bⱼ kⱼ} (update); null for a stage whose coefficients
     * are all 0 (never for the update, since {@code Σb = 1}).
     */
    private Tensor combination(Tensor[] k, int i, Tensor step, boolean stage) {
        Tensor sum = null;
        for (int j = 0; j < (stage ? i : k.length); j++) {
            double coefficient = stage ? tableau.entry(i, j) : tableau.weight(j);
            if (coefficient != 0) {
                Tensor term = coefficient == 1 ? k[j] : k[j].mul(coefficient);
                sum = sum == null ? term : sum.add(term);
            }
        }
        return sum == null ? null : sum.mul(step);
    }

    @Override
    public int order() {
        return tableau.order();
    }

    @Override
    public Set<Structure> structure() {
        return EnumSet.of(Structure.LINEAR_INVARIANTS);
    }

    @Override
    public Tensor steps(VectorField field, Tensor x, Tensor h, int substeps) {
        return tableau.computesExplicitEuler() ? EULER.steps(field, x, h, substeps)
                : Integrator.super.steps(field, x, h, substeps);
    }

    @Override
    public Optional<ButcherTableau> tableau() {
        return Optional.of(tableau);
    }

    @Override
    public String name() {
        return tableau.name();
    }
}
