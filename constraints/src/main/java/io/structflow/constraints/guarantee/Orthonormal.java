package io.structflow.constraints.guarantee;

import io.structflow.core.nn.Guarantee;

/**
 * The weight W {@code [m, n]} has orthonormal columns ({@code WᵀW = I}, m ≥ n) or rows
 * ({@code WWᵀ = I}, m &lt; n) exactly, in exact arithmetic: what an orthogonal parametrisation
 * ({@code expm(W − Wᵀ)}, Cayley) gives for every raw value. So {@code ‖W‖₂ = 1}, and for m ≥ n
 * {@code ‖Wx‖ = ‖x‖}.
 */
public record Orthonormal() implements Guarantee {
    @Override
    public String describe() {
        return "orthonormal columns (m ≥ n) or rows (m < n), by construction";
    }
}
