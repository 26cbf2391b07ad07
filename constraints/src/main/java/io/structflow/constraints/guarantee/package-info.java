/**
 * What a constraint leaves its parameter in, as data ({@link io.structflow.core.nn.Guarantee}):
 * entry intervals, certified operator-norm bounds, near-orthonormality with its tolerance, an
 * orthogonal operator (e.g. a Cayley-parametrised circular convolution), the
 * Euler step limit {@code 2/‖A‖²} of [CMOSS] (3.5) and the non-expansive step pairs of (3.10).
 * Layers derive their properties from these, never from a constraint's nominal parameter.
 */
package io.structflow.constraints.guarantee;
