/**
 * Numerical checks of structural properties on real inputs ([CMOSS] Table 1), each against its
 * definition: empirical Lipschitz ratio over random pairs and the top singular value of the
 * Jacobian by power iteration with autodiff JVP/VJP, the symplecticity residual
 * {@code ‖JᵀΩJ − Ω‖_F}, {@code |det J − 1|} (LU), conserved {@code Σxᵢ} and {@code ‖x‖}, and
 * {@code Φ⁻¹(Φ(x)) = x}. Entry points: {@link io.structflow.layers.verify.PropertyChecks},
 * results: {@link io.structflow.layers.verify.Check}.
 */
package io.structflow.layers.verify;
