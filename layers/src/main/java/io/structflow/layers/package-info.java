/**
 * Vector field × integrator = layer: {@link io.structflow.layers.FlowLayer}, the rule table
 * {@link io.structflow.layers.PropertyRules} and the contract types {@link io.structflow.layers.Property}, {@link io.structflow.layers.LipschitzBounded},
 * {@link io.structflow.layers.Structured}, {@link io.structflow.layers.Invertible}.
 *
 * <p>Properties are derived, never special-cased: {@link io.structflow.layers.PropertyRules} is the
 * one table from field traits × integrator traits × what the step's constraints guarantee to
 * properties (its class documentation lists the rows). A claim is a theorem about the parameters
 * after projection ({@link io.structflow.core.nn.Parameter#guarantees()}), with certified norm
 * bounds; a parameter outside its constraints' sets backs no claim.
 */
package io.structflow.layers;
