package io.structflow.integrators;

/**
 * A split field {@code f = f₁ + f₂} on {@code x = [q, p]} whose pieces are shears:
 * {@code f₁ = [u(p), 0]} moves only q and reads only p, {@code f₂ = [0, v(q)]} the reverse
 * ([CMOSS] §4.2). Each piece is constant along its own flow, so every consistent Runge–Kutta
 * method steps it exactly, {@code x ↦ x + h fᵢ(x)}, a map with determinant 1 whose inverse is
 * {@code y ↦ y − h fᵢ(y)}. A marker of structure: implementing it is a promise about
 * {@link #first()} and {@link #second()}.
 */
public interface ShearSplitField extends SplitField<VectorField, VectorField> {
}
