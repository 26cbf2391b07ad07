/**
 * Regularisers: differentiable penalties (tensor → scalar tensor) added to the loss to pull
 * weights towards a constraint set softly, instead of projecting onto it.
 *
 * <table>
 *   <caption>Regularisers</caption>
 *   <tr><th>Name</th><th>Penalty</th><th>Zero exactly when</th></tr>
 *   <tr><td>{@link io.structflow.constraints.regularize.OrthogonalityPenalty}</td><td>‖WᵀW − I‖²_F</td><td>W has orthonormal columns (rows if wide)</td></tr>
 *   <tr><td>{@link io.structflow.constraints.regularize.ConvOrthogonalityPenalty}</td><td>‖Conv(K, K) − I_r0‖²_F</td><td>the convolution's rows are orthonormal (Wang et al. 2020)</td></tr>
 * </table>
 */
package io.structflow.constraints.regularize;
