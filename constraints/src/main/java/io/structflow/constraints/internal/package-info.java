/**
 * Helpers shared by the constraints module and not part of its API: message templates (one
 * place per module), reading and writing parameter values in double precision, and rounding
 * projected values into the parameter's storage type so that a projected point stays inside
 * its set after rounding.
 */
package io.structflow.constraints.internal;
