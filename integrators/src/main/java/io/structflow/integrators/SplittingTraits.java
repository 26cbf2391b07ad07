package io.structflow.integrators;

/**
 * What a splitting method is, as data: the sub-steps of {@code scheme}, the first piece of a
 * {@link SplitField} stepped by {@code first}, the second by {@code second},
 * <pre>  φ_h = … ∘ Φ²_{b₁h} ∘ Φ¹_{a₁h}</pre>
 *
 * @param scheme the coefficients
 * @param first  the method for the first piece
 * @param second the method for the second piece
 */
public record SplittingTraits(SplittingScheme scheme, Integrator<?> first, Integrator<?> second) {
}
