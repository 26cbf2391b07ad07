package io.structflow.integrators;

/**
 * A field whose components sum to zero, {@code Σᵢ fᵢ(x) = 0} for every x, so the mass
 * {@code Σᵢ xᵢ} is a linear first integral of its flow, kept by every method with
 * {@link Structure#LINEAR_INVARIANTS} ([CMOSS] (4.2)). A marker of structure: implementing it is a
 * promise about {@link #apply}.
 */
public interface ZeroSumField extends VectorField {
}
