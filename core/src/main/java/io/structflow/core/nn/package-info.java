/**
 * Modules and parameters: {@link io.structflow.core.nn.Module} with stable dotted parameter names,
 * {@link io.structflow.core.nn.Parameter} (the one mutable holder, carrying its
 * {@link io.structflow.core.nn.Constraint}s), {@link io.structflow.core.nn.Sequential} (and
 * {@link io.structflow.core.nn.Checkpointed}, its layers run with gradient checkpointing),
 * {@link io.structflow.core.nn.Linear}, {@link io.structflow.core.nn.Activation} and seeded
 * initialisers in {@link io.structflow.core.nn.Init}.
 */
package io.structflow.core.nn;
