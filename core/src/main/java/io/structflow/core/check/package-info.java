/** Finite-difference gradient checks, first and second order, in float64 ({@link io.structflow.core.check.GradCheck}). */
package io.structflow.core.check;
