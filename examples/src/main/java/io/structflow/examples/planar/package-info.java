/**
 * The planar classification experiment of [CMOSS] §1.1 and Table 1: 2-D points lifted by zero
 * padding, ten explicit Euler gradient-flow layers with orthogonal {@code A = expm(W − Wᵀ)} and
 * σ = LeakyReLU(a), in three families (alternating contractive/expansive with steps in the
 * non-expansive region R of (3.10), only expansive (3.7), only contractive (3.5)), a linear head;
 * the median test accuracy and median final time {@code T = Σ|hᵢ|} over seeded runs, decision
 * region and step-length plots.
 */
package io.structflow.examples.planar;
