/**
 * Shared pieces of the example commands: the shared options ({@link io.structflow.examples.support.SharedOptions}),
 * option range checks and the output-directory check, and the report of an experiment
 * ({@link io.structflow.examples.support.Report}: tables, results.json, figures) with its one writer.
 */
package io.structflow.examples.support;
