/**
 * Lie-group methods for fields on the sphere {@code f(x) = S(x)x}, {@code S} skew: the explicit,
 * norm-preserving {@link io.structflow.integrators.lie.CayleyHeun} (order 2), for the
 * sphere-preserving networks of [CMOSS] §4.1.
 */
package io.structflow.integrators.lie;
