/**
 * Training, evaluation and sweeps across machines on Apache Spark's core API.
 *
 * <ul>
 *   <li>{@link io.structflow.spark.SyncDataParallel}: synchronous data-parallel SGD — executors
 *       compute gradient sums of their share of each global batch, the driver takes one optimiser
 *       step and projects every constraint, exactly as one machine would.</li>
 *   <li>{@link io.structflow.spark.LocalSgd}: local SGD with parameter and optimiser-state
 *       averaging every k steps, followed by the projections (Stich, <i>Local SGD converges fast
 *       and communicates little</i>, ICLR 2019).</li>
 *   <li>{@link io.structflow.spark.DistributedEvaluation}: clean, PGD-robust and certified
 *       accuracy over a partitioned test set.</li>
 *   <li>{@link io.structflow.spark.SparkSweep}: independent runs (seeds, configurations) as tasks.</li>
 * </ul>
 *
 * <p>Models never travel: executors rebuild them from a serialisable
 * {@link io.structflow.spark.TrainingProblem} and receive parameters as flat {@code double[]}
 * arrays. Spark is a {@code provided} dependency; this package is the only one that imports it.
 */
package io.structflow.spark;
