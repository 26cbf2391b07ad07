/**
 * The dynamics experiments of the {@code structflow} CLI: learning flow maps from trajectory
 * pairs with structure-preserving networks — the mass-preserving SIR network of [CMOSS] §4.3
 * ({@link io.structflow.examples.dynamics.SirExperiment}), SympNets and Hamiltonian networks on
 * the pendulum ([M-slides], [CMOSS] §4.1, {@link io.structflow.examples.dynamics.PendulumExperiment})
 * — and the classical integrator comparison on the harmonic oscillator that motivates them
 * ({@link io.structflow.examples.dynamics.OscillatorExperiment}).
 */
package io.structflow.examples.dynamics;
