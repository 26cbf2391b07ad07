/**
 * The networks of the examples, reusable as they are: each is a recipe of the library's fields,
 * flow layers and blocks with the constraints its guarantee needs.
 *
 * <table>
 *   <caption>Networks</caption>
 *   <tr><th>Type</th><th>Network</th><th>Guarantee</th><th>Source</th></tr>
 *   <tr><td>{@link io.structflow.layers.models.PlanarClassifier} ({@link io.structflow.layers.models.Family})</td>
 *       <td>lift, ten Euler layers of {@code ±Aᵀσ(Ax + b)}, linear head</td>
 *       <td>dynamical part 1-Lipschitz (alternating, contractive)</td><td>§1.1, Table 1</td></tr>
 *   <tr><td>{@link io.structflow.layers.models.RobustNetworks} ({@link io.structflow.layers.models.NetworkKind},
 *       {@link io.structflow.layers.models.Architecture})</td>
 *       <td>the five convolutional Fashion-MNIST classifiers</td>
 *       <td>Lipschitz bound of the whole chain (constrained kinds)</td><td>§3.3, Fig. 4</td></tr>
 *   <tr><td>{@link io.structflow.layers.models.CertifiedNetworks}</td>
 *       <td>CPL-style and orthogonal-switching Fashion-MNIST classifiers (pixel-unshuffle, isometric lifts)</td>
 *       <td>every layer 1-Lipschitz; the switching blocks by (3.10) with orthogonal convolutions</td>
 *       <td>§3.3; Meunier et al. 2022, Trockman &amp; Kolter 2021</td></tr>
 *   <tr><td>{@link io.structflow.layers.models.MassPreservingNetwork}</td>
 *       <td>lift, Euler layers of {@code (A(z) − A(z)ᵀ)𝟏}, projection</td><td>{@code Σ Φ(x) = Σ x}</td>
 *       <td>§4.3 (SIR)</td></tr>
 * </table>
 */
package io.structflow.layers.models;
