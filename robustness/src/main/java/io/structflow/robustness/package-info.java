/**
 * Adversarial robustness of classifiers, [CMOSS] §3.3: how much accuracy survives ℓ2
 * perturbations of the input, measured from above by an attack and from below by a certificate.
 *
 * <table>
 *   <caption>What each type measures</caption>
 *   <tr><th>Type</th><th>Quantity</th><th>Bound on the true robust accuracy</th></tr>
 *   <tr><td>{@link io.structflow.robustness.PgdL2}</td>
 *       <td>ℓ2 projected-gradient attack (Madry et al. 2018; Foolbox's step rule)</td><td>upper</td></tr>
 *   <tr><td>{@link io.structflow.robustness.MarginCertificate}</td>
 *       <td>margin &gt; √2·ε·Lip certifies a sample (Tsuzuku et al. 2018; [CMOSS] (3.1))</td><td>lower</td></tr>
 *   <tr><td>{@link io.structflow.robustness.RobustnessEvaluator}</td>
 *       <td>both curves over an ε grid, in batches</td><td>—</td></tr>
 *   <tr><td>{@link io.structflow.robustness.RobustnessReport}</td>
 *       <td>clean, robust and certified accuracy, areas under the curves, results-file map</td><td>—</td></tr>
 * </table>
 *
 * <p>The Lipschitz bound is an argument (a {@code double}), so this package does not depend on
 * how a model's bound is computed.
 */
package io.structflow.robustness;
