package io.structflow.integrators.splitting;

import io.structflow.core.autodiff.Tensor;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.SplitField;
import io.structflow.integrators.SplittingScheme;
import io.structflow.integrators.SplittingTraits;
import io.structflow.integrators.Structure;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.internal.Checks;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A splitting method for {@code f = f₁ + f₂} ({@link SplitField}): the sub-steps of a
 * {@link SplittingScheme}, the first piece stepped by one integrator and the second by another,
 * <pre>  φ_h = … ∘ Φ²_{b₁h} ∘ Φ¹_{a₁h}     (Lie–Trotter: Φ²_h ∘ Φ¹_h;  Strang: Φ¹_{h/2} ∘ Φ²_h ∘ Φ¹_{h/2})</pre>
 * — the composition of layers of different kinds in [CMOSS] §3 (e.g. an expansive and a
 * contractive step). Order: {@code min(scheme order, orders of the two integrators)}. Structure:
 * the properties both integrators preserve (a composition of maps that each keep a property
 * keeps it, provided both pieces of the field have it). Cost: the sub-steps' costs.
 *
 * @param <A> type of the first piece of the field
 * @param <B> type of the second piece of the field
 */
public final class Splitting<A extends VectorField, B extends VectorField> implements Integrator<SplitField<A, B>> {
    private final SplittingScheme scheme;
    private final Integrator<? super A> first;
    private final Integrator<? super B> second;

    /**
     * @param scheme the coefficients
     * @param first  integrator for the first piece
     * @param second integrator for the second piece
     */
    public Splitting(SplittingScheme scheme, Integrator<? super A> first, Integrator<? super B> second) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.first = Objects.requireNonNull(first, "first");
        this.second = Objects.requireNonNull(second, "second");
    }

    /** Lie–Trotter splitting {@code Φ²_h ∘ Φ¹_h}, order 1. */
    public static <A extends VectorField, B extends VectorField> Splitting<A, B> lieTrotter(
            Integrator<? super A> first, Integrator<? super B> second) {
        return new Splitting<>(SplittingScheme.LIE_TROTTER, first, second);
    }

    /** Strang splitting {@code Φ¹_{h/2} ∘ Φ²_h ∘ Φ¹_{h/2}}, order {@code min(2, orders of the parts)}. */
    public static <A extends VectorField, B extends VectorField> Splitting<A, B> strang(
            Integrator<? super A> first, Integrator<? super B> second) {
        return new Splitting<>(SplittingScheme.STRANG, first, second);
    }

    /** The coefficients. */
    public SplittingScheme scheme() {
        return scheme;
    }

    @Override
    public Tensor step(SplitField<A, B> field, Tensor x, Tensor h) {
        Tensor step = Checks.step(name(), x, h);
        if (field == null) {
            throw new IllegalArgumentException(name() + ": field expected a SplitField but got null");
        }
        Tensor y = x;
        for (int i = 0; i < scheme.length(); i++) {
            if (scheme.a(i) != 0) {
                y = first.step(field.first(), y, step.mul(scheme.a(i)));
            }
            if (scheme.b(i) != 0) {
                y = second.step(field.second(), y, step.mul(scheme.b(i)));
            }
        }
        return y;
    }

    @Override
    public int order() {
        return Math.min(scheme.order(), Math.min(first.order(), second.order()));
    }

    @Override
    public Set<Structure> structure() {
        Set<Structure> common = EnumSet.noneOf(Structure.class);
        common.addAll(first.structure());
        common.retainAll(second.structure());
        return common;
    }

    @Override
    public Optional<SplittingTraits> splitting() {
        return Optional.of(new SplittingTraits(scheme, first, second));
    }

    @Override
    public String name() {
        return scheme.name() + "(" + first.name() + ", " + second.name() + ")";
    }
}
